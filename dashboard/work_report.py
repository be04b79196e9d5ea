"""The work report (工作报告素材): the figures written the way the bureau writes its own report,
one sentence per indicator, grouped by area, for any month, e.g.

    全年城镇新增就业人数12367人,省级指标完成率176.7%。
    1-9月城镇新增就业人数9012人,完成年度目标的128.7%,超时序进度53.7个百分点。

and the same as a .docx for the meeting papers."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.utils import timezone

from common.numbers import format_figure
from indicators.models import Indicator

from .selectors import Cockpit, Progress, _rate

CHINESE_ORDINALS = "一二三四五六七八九十"


def _period(month: int, kind: str) -> str:
    if kind != Indicator.Kind.FLOW:
        return "截至年末" if month == 12 else f"截至{month}月末"
    if month == 12:
        return "全年"
    return "1月" if month == 1 else f"1-{month}月"


def _name(p: Progress) -> str:
    # "其中:高级工" reads "其中高级工…" inside a sentence.
    return p.indicator.name.replace("其中:", "其中").replace("其中:", "其中")


def _figure(p: Progress, value: Decimal | None) -> str:
    ind = p.indicator
    text = format_figure(value, ind.figure_places).replace(",", "")
    return f"{text}%" if ind.kind == Indicator.Kind.RATIO else f"{text}{ind.unit}"


def _against_schedule(p: Progress) -> str:
    if p.gap is None or p.indicator.kind != Indicator.Kind.FLOW:
        return ""
    points = _rate(abs(p.gap), 1)[:-1]  # without the % sign: 个百分点
    if p.gap > 0:
        return f",超时序进度{points}个百分点"
    if p.gap < 0:
        return f",落后时序进度{points}个百分点"
    return ",与时序进度持平"


def _is_part(p: Progress) -> bool:
    return p.indicator.name.startswith(("其中:", "其中:"))


def progress_sentence(p: Progress) -> str:
    """One indicator's sentence. A "其中" part follows its whole, so it carries no period of its own."""
    period = "" if _is_part(p) else _period(p.month, p.indicator.kind)
    if p.actual is None:
        return f"{period}{_name(p)}暂无数据。"
    head = f"{period}{_name(p)}{_figure(p, p.actual)}"
    if p.quota is None or p.completion_rate is None:
        return head + "。"
    if p.indicator.kind == Indicator.Kind.RATIO:
        reached = "已完成年度目标" if p.actual >= p.quota else "尚未达到年度目标"
        return f"{head},年度目标{_figure(p, p.quota)},{reached}。"
    rate = p.rate_display
    if p.month == 12:
        # The city's quota is the province's (省级下达指标); a township's is its share of it.
        whose = "省级指标" if len(p.org_code) == 6 else "年度目标"
        return f"{head},{whose}完成率{rate}。"
    return f"{head},完成年度目标的{rate}{_against_schedule(p)}。"


def work_report_sections(cockpit: Cockpit) -> list[tuple[str, list[str]]]:
    """[(heading, sentences)] by area: the rated indicators, then the other figures of the area."""
    by_area: dict[str, tuple[str, list[Progress]]] = {}
    for group in cockpit.areas:
        by_area[group.area] = (group.label, list(group.rows))
    for p in cockpit.others:
        by_area.setdefault(p.indicator.area, (p.indicator.area_label, []))[1].append(p)
    sections = []
    for i, (label, rows) in enumerate(by_area.values()):
        sections.append((f"{CHINESE_ORDINALS[i]}、{label}", [progress_sentence(p) for p in rows]))
    return sections


def work_report_title(cockpit: Cockpit) -> str:
    span = "全年" if cockpit.month == 12 else ("1月" if cockpit.month == 1 else f"1-{cockpit.month}月")
    return f"{cockpit.org_name}人社工作{cockpit.year}年{span}主要指标完成情况"


def work_report_docx(cockpit: Cockpit, *, notice: str = "") -> bytes:
    """The sentences as a Word document (python-docx), in the bureau's fonts and order; notice: the
    freshness notice (completion.selectors.Freshness.notice), printed under the introduction."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "仿宋", Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    doc.core_properties.author = "潜江市人力资源和社会保障局"
    doc.core_properties.title = work_report_title(cockpit)
    doc.add_heading(work_report_title(cockpit), level=1)
    generated = timezone.localtime().strftime("%Y年%-m月%-d日")
    doc.add_paragraph(
        f"数据截至{cockpit.year}年{cockpit.month}月末,时序进度{_rate(cockpit.time_progress, 1)},"
        f"生成于{generated}。完成率 = 累计完成 ÷ 年度目标;时序进度 = 月份 ÷ 12。"
    )
    if notice:
        doc.add_paragraph(f"注意:{notice}。")
    for heading, sentences in work_report_sections(cockpit):
        doc.add_heading(heading, level=2)
        for sentence in sentences:
            doc.add_paragraph(sentence)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
