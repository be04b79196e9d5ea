"""The work report (工作报告素材): the figures written the way the bureau writes its own report, one
paragraph per area, for any month, e.g. (the bureau's 2024 report, section (一)1):

    全年城镇新增就业人数12367人,省级指标完成率176.7%;失业人员再就业5698人,省级指标完成率271.3%;……
    累计开展职业技能提升培训6706人,省级指标完成率155.23%,各项指标数据均超额完成时序任务。

and mid-year "1-9月城镇新增就业人数9012人,完成年度目标的128.7%,超时序进度53.7个百分点;……", followed
(in the city's report) by the townships behind schedule. The punctuation is the report's own: ASCII
commas, semicolons and per cent signs between Chinese text, full-width 。 and 、 (the seed report holds
no full-width comma).

How each indicator is written is declared data (PHRASES, AREAS, JUDGEMENTS), not code per indicator:
the words the report uses for it, whether it continues the clause before it (",共带动就业2519人",
"、技师83人"), the unit and scale it is written in (亿元, 万人) and the label of its rate. Rates are
written at the indicator's own precision (Indicator.rate_places: 176.7%, 155.23%, 135%)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils import timezone

from common.numbers import format_figure
from indicators.models import Indicator

from .selectors import Cockpit, Progress, _rate

CHINESE_ORDINALS = "一二三四五六七八九十"
FLOW, STOCK, RATIO = Indicator.Kind.FLOW, Indicator.Kind.STOCK, Indicator.Kind.RATIO


@dataclass(frozen=True)
class Phrase:
    """How the report writes one indicator."""

    words: str  # the indicator inside a sentence: "失业人员再就业", "累计开展职业技能提升培训"
    joins: str = ""  # "," or "、": continues the clause before it, with no period of its own
    unit: str | None = None  # the unit written, when not the indicator's own ("起", "亿元", "万人")
    scale: int = 1  # the stored figure ÷ scale is the figure written (万元 → 亿元: 10000), once it is ≥ 1
    places: int | None = None  # at most this many decimals of the written figure (default: the indicator's)
    rate_label: str = "省级指标完成率"  # the year's rate at the city; a township's says 年度目标
    target_words: str = ""  # a ratio's target: "覆盖率" → 已完成覆盖率66%的省级任务
    omit: bool = False  # a denominator or a component the report never writes


W = 10_000  # 万
PHRASES: dict[str, Phrase] = {
    "employment.urban_new_jobs": Phrase("城镇新增就业人数"),
    "employment.unemployed_reemployed": Phrase("失业人员再就业"),
    "employment.hardship_reemployed": Phrase("就业困难人员再就业"),
    "employment.graduates_employed": Phrase("新增高校毕业生就业创业"),
    "employment.returnee_startups": Phrase("新增返乡创业"),
    "employment.returnee_jobs_created": Phrase("共带动就业", joins=","),
    "employment.guarantee_loans": Phrase("发放创业担保贷款"),
    "employment.guarantee_loan_amount": Phrase("发放金额", joins=",", unit="亿元", scale=W, places=2),
    "employment.skills_training": Phrase("累计开展职业技能提升培训"),
    "social_insurance.pension_insured": Phrase("全市养老保险参保", unit="万人", scale=W, places=2),
    "social_insurance.injury_insured": Phrase("工伤保险", joins="、", unit="万人", scale=W, places=2),
    "social_insurance.unemployment_insured": Phrase("失业保险", joins="、", unit="万人", scale=W, places=2),
    "social_insurance.flexible_new_insured": Phrase("新增灵活从业人员参保", rate_label="完成率"),
    "social_insurance.ecard_issued": Phrase("签发电子社保卡", unit="万张", scale=W, places=2),
    "social_insurance.resident_population": Phrase("常住人口", omit=True),
    "social_insurance.ecard_coverage": Phrase("占常住人口数的", joins=",", target_words="覆盖率"),
    "talent.skill_certificates": Phrase("新增职业资格证书或职业技能等级证书"),
    "talent.senior_workers": Phrase("其中高级工", joins=","),
    "talent.technicians": Phrase("技师", joins="、"),
    "labor_relations.dispute_cases": Phrase("共办理劳动人事争议案件", unit="起"),
    "labor_relations.cases_closed": Phrase("结案", omit=True),
    "labor_relations.cases_mediated": Phrase("调解结案", omit=True),
    "labor_relations.closed_on_time": Phrase("审限内结案", omit=True),
    "labor_relations.closure_rate_at_term": Phrase("到期结案率", joins=","),
    "labor_relations.mediation_rate": Phrase("调解率", joins=","),
    "labor_relations.arbitration_closed": Phrase("仲裁结案", omit=True),
    "labor_relations.arbitration_final": Phrase("仲裁终结结案", omit=True),
    "labor_relations.arbitration_finality_rate": Phrase("仲裁终结率为", joins=","),
    "labor_relations.wages_recovered": Phrase("为劳动者追发工资待遇"),
}

# The judgement closing an area's paragraph when every rated indicator is on or ahead of schedule
# ("" = none: the report's own social-insurance and talent paragraphs have none); areas not named get
# the default.
AREAS: dict[str, str] = {
    "employment": "各项指标数据均超额完成时序任务",
    "social_insurance": "",
    "talent": "",
    "labor_relations": "",
}
DEFAULT_ALL_AHEAD = "各项指标数据均超额完成时序任务"

# Every other wording that depends on the month (mid-year / the year's end) and on who reads it.
JUDGEMENTS = {
    "some_behind": {"mid": "{names}落后时序进度", "year": "{names}未完成年度目标任务"},
    "townships_behind": {"mid": "落后时序进度的有", "year": "未完成年度目标的有"},
    "townships_lead": "分区镇街道看,",
    "far_behind": "其中{names}严重落后",
    "no_data": "{names}有目标任务但未报送数据",
    "ratio_met": {"mid": "已提前完成{target}的{whose}", "year": "已完成{target}的{whose}"},
    "ratio_short": "距{target}的{whose}还差{points}个百分点",
    "whose": {"city": "省级任务", "township": "年度目标任务"},
    "rate_mid": "完成年度目标的",
    "parts_rate_year": {"city": "完成省级指标的", "township": "完成年度目标的"},
    "ahead_mid": "超时序进度{points}个百分点",
    "behind_mid": "落后时序进度{points}个百分点",
    "level_ahead_mid": "已达到年度目标",
    "level_behind_mid": "距年度目标还差{points}个百分点",
    "even_mid": "与时序进度持平",
    "several": "分别",
    "no_figure": "{words}暂无数据",
}


def phrase_of(p: Progress) -> Phrase:
    found = PHRASES.get(p.indicator.code)
    if found is not None:
        return found
    name = p.indicator.name.replace("其中:", "其中").replace("其中:", "其中")
    return Phrase(name)


def _period(month: int, kind: str) -> str:
    if kind != FLOW:
        return "截至年末" if month == 12 else f"截至{month}月末"
    if month == 12:
        return "全年"
    return "1月" if month == 1 else f"1-{month}月"


def _is_city(p: Progress) -> bool:
    return len(p.org_code) == 6  # the city's division code; a township's has nine digits


def _figure(p: Progress, value: Decimal | None, phrase: Phrase) -> str:
    ind = p.indicator
    if ind.kind == RATIO:
        return format_figure(value, ind.rate_places).replace(",", "") + "%"
    if phrase.scale > 1 and value < phrase.scale:  # 2200万元, not 0.22亿元
        return format_figure(value, ind.value_places).replace(",", "") + ind.unit
    places = ind.value_places if phrase.places is None else phrase.places
    text = format_figure(value / phrase.scale, places).replace(",", "")
    return text + (phrase.unit or ind.unit)


def _points(gap: Decimal) -> str:
    return _rate(abs(gap), 1)[:-1]  # without the % sign: 个百分点


def _against_schedule(p: Progress) -> str:
    """Mid-year: where the indicator stands against the calendar (a flow) or its level (a stock)."""
    if p.gap is None:
        return ""
    if p.indicator.kind == STOCK:
        key = "level_ahead_mid" if p.gap >= 0 else "level_behind_mid"
    else:
        key = "ahead_mid" if p.gap > 0 else "behind_mid" if p.gap < 0 else "even_mid"
    return JUDGEMENTS[key].format(points=_points(p.gap))


def _ratio_judgement(p: Progress, phrase: Phrase) -> str:
    who = "city" if _is_city(p) else "township"
    target = f"{phrase.target_words}{_figure(p, p.quota, phrase)}"
    whose = JUDGEMENTS["whose"][who]
    if p.actual is not None and p.actual >= p.quota:
        return JUDGEMENTS["ratio_met"]["year" if p.month == 12 else "mid"].format(target=target, whose=whose)
    gap = (p.quota - (p.actual or 0)).copy_abs()
    return JUDGEMENTS["ratio_short"].format(target=target, whose=whose, points=_points(gap))


def _rate_words(p: Progress, phrase: Phrase) -> list[str]:
    """What follows the figure of a rated indicator: its rate (and, mid-year, the schedule)."""
    if p.quota is None or p.actual is None:
        return []
    if p.indicator.kind == RATIO:
        return [_ratio_judgement(p, phrase)]
    if p.completion_rate is None:
        return []
    if p.month == 12:
        label = phrase.rate_label if _is_city(p) else phrase.rate_label.replace("省级指标", "年度目标")
        return [f"{label}{p.rate_display}"]
    return [f"{JUDGEMENTS['rate_mid']}{p.rate_display}", _against_schedule(p)]


def _list_clause(items: list[tuple[Progress, Phrase]]) -> str:
    """ "其中高级工1159人、技师83人,完成省级指标的193%、138%": figures joined by 、, then their rates."""
    figures = "、".join(f"{ph.words}{_figure(p, p.actual, ph)}" for p, ph in items)
    rated = [p for p, _ in items if p.quota is not None and p.completion_rate is not None]
    if not rated:
        return figures
    first = rated[0]
    rates = "、".join(p.rate_display for p in rated)
    if first.month == 12:
        return f"{figures},{JUDGEMENTS['parts_rate_year']['city' if _is_city(first) else 'township']}{rates}"
    return f"{figures},{JUDGEMENTS['rate_mid']}{rates},{_schedules(rated)}"


def _schedules(rated: list[Progress]) -> str:
    """Several flows against the calendar: "分别超时序进度44.3、21.7个百分点" when they lean the same way."""
    flows = all(p.indicator.kind == FLOW and p.gap is not None for p in rated)
    for sign, key in ((1, "ahead_mid"), (-1, "behind_mid")):
        if flows and len(rated) > 1 and all(p.gap * sign > 0 for p in rated):
            points = "、".join(_points(p.gap) for p in rated)
            return JUDGEMENTS["several"] + JUDGEMENTS[key].format(points=points)
    return "、".join(_against_schedule(p) for p in rated)


def _clauses(rows: list[Progress]) -> list[tuple[str, str]]:
    """[(joiner, text)]: each indicator's clause, and how it attaches to the one before (";" a new
    clause, "," or "、" a continuation). A 、-list ("A x人、B y人") is written as one clause."""
    out: list[tuple[str, str]] = []
    period_now = ""
    i = 0
    while i < len(rows):
        p, ph = rows[i], phrase_of(rows[i])
        group = [(p, ph)]
        while i + 1 < len(rows) and phrase_of(rows[i + 1]).joins == "、":
            i += 1
            group.append((rows[i], phrase_of(rows[i])))
        i += 1
        if p.actual is None:  # nothing reported: said once, its parts with it
            if not ph.joins:
                out.append((";", JUDGEMENTS["no_figure"].format(words=ph.words)))
            continue
        group = [(q, qh) for q, qh in group if q.actual is not None]
        if len(group) > 1:
            text = _list_clause(group)
        else:
            text = ",".join([f"{ph.words}{_figure(p, p.actual, ph)}", *filter(None, _rate_words(p, ph))])
        if not ph.joins:
            period = _period(p.month, p.indicator.kind)
            text = ("" if period == period_now else period) + text
            period_now = period
        out.append((ph.joins or ";", text))
    return out


def _names(rows: list[Progress]) -> str:
    return "、".join(p.indicator.name.replace("其中:", "").replace("其中:", "") for p in rows)


def _closing(area: str, rows: list[Progress]) -> str:
    rated = [p for p in rows if p.quota is not None and p.indicator.kind != RATIO]
    if len(rated) < 2:  # "各项指标" needs several; one indicator's clause says it all
        return ""
    behind = [p for p in rated if p.status in ("behind", "far_behind", "no_data")]
    if not behind:
        return AREAS.get(area, DEFAULT_ALL_AHEAD)
    when = "year" if rated[0].month == 12 else "mid"
    return JUDGEMENTS["some_behind"][when].format(names=_names(behind))


@dataclass(frozen=True)
class TownshipStanding:
    """One rated indicator at one township, from the scorecard (dashboard/scorecard.py)."""

    code: str  # indicator code
    org_name: str
    status: str


def _townships_sentence(rows: list[Progress], standings: list[TownshipStanding], month: int) -> str:
    """ "分区镇街道看,城镇新增就业人数落后时序进度的有A、B,其中B严重落后;……。" (the city's report)."""
    codes = {p.indicator.code: p for p in rows if p.quota is not None}
    parts: list[str] = []
    missing: list[str] = []
    head = JUDGEMENTS["townships_behind"]["year" if month == 12 else "mid"]
    for code, p in codes.items():
        behind = [s.org_name for s in standings if s.code == code and s.status in ("behind", "far_behind")]
        far = [s.org_name for s in standings if s.code == code and s.status == "far_behind"]
        missing += [s.org_name for s in standings if s.code == code and s.status == "no_data"]
        if behind:
            text = f"{_names([p])}{head}{'、'.join(behind)}"
            if far:
                text += "," + JUDGEMENTS["far_behind"].format(names="、".join(far))
            parts.append(text)
    if missing:
        parts.append(JUDGEMENTS["no_data"].format(names="、".join(dict.fromkeys(missing))))
    return JUDGEMENTS["townships_lead"] + ";".join(parts) + "。" if parts else ""


def area_paragraph(area: str, rows: list[Progress], standings: list[TownshipStanding] = ()) -> str:
    """One area's paragraph: its indicators' clauses in catalogue order, the closing judgement, and
    (given the townships' standings) the townships behind schedule."""
    shown = [p for p in rows if not phrase_of(p).omit]
    clauses = _clauses(shown)
    if not clauses:
        return ""
    text = clauses[0][1] + "".join(joiner + clause for joiner, clause in clauses[1:])
    closing = _closing(area, shown)
    text += ("," + closing if closing else "") + "。"
    if standings:
        text += _townships_sentence(shown, list(standings), shown[0].month)
    return text


def work_report_sections(
    cockpit: Cockpit, *, standings: list[TownshipStanding] | None = None
) -> list[tuple[str, list[str]]]:
    """[(heading, [paragraph])] by area, the rated indicators and the other figures of the area
    together in catalogue order. `standings`: the townships' statuses (the city's report names the
    ones behind)."""
    by_area: dict[str, tuple[str, list[Progress]]] = {}
    for group in cockpit.areas:
        by_area[group.area] = (group.label, list(group.rows))
    for p in cockpit.others:
        by_area.setdefault(p.indicator.area, (p.indicator.area_label, []))[1].append(p)
    sections = []
    for area, (label, rows) in by_area.items():
        rows.sort(key=lambda p: (p.indicator.sort_order, p.indicator.code))
        paragraph = area_paragraph(area, rows, standings or [])
        if paragraph:
            sections.append((f"{CHINESE_ORDINALS[len(sections)]}、{label}", [paragraph]))
    return sections


def township_standings(card) -> list[TownshipStanding]:
    """The scorecard's rated cells as standings for the city's report."""
    return [
        TownshipStanding(c.indicator.code, r.org_name, c.status)
        for r in card.townships
        for c in r.cells
        if c.rated
    ]


def work_report_title(cockpit: Cockpit) -> str:
    span = "全年" if cockpit.month == 12 else ("1月" if cockpit.month == 1 else f"1-{cockpit.month}月")
    return f"{cockpit.org_name}人社工作{cockpit.year}年{span}主要指标完成情况"


# --------------------------------------------------------------------------- the .docx

# GB/T 9704-2012 (党政机关公文格式): A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in
# 2号 方正小标宋简体, body in 3号 仿宋_GB2312, first-level headings in 3号 黑体, 22 lines a page.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
TITLE_PT, BODY_PT = 22, 16
LINE_PT = 28.95  # 225 mm of text area ÷ 22 lines
# What Word and WPS use when the reader's machine lacks the official font (w:altName in the font
# table): every Chinese Windows has 仿宋 (FangSong), 宋体 (SimSun) and 黑体 (SimHei).
FONT_FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", HEADING_FONT: "黑体"}


def _set_font(style_or_run, east_asian: str, size_pt: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style_or_run.font
    font.name, font.size, font.bold = "Times New Roman", Pt(size_pt), bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)  # a theme font would win over the names
    rfonts.set(qn("w:eastAsia"), east_asian)


def _page_setup(doc) -> None:
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])


def _styles(doc) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    _set_font(normal, BODY_FONT, BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(BODY_PT * 2)  # 首行缩进2字
    title = doc.styles["Title"]
    _set_font(title, TITLE_FONT, TITLE_PT)
    border = title.element.pPr.find(qn("w:pBdr")) if title.element.pPr is not None else None
    if border is not None:  # the template's blue rule under the title: not in an official document
        border.getparent().remove(border)
    _set_font(doc.styles["Heading 1"], HEADING_FONT, BODY_PT)
    for name in ("Title", "Heading 1"):
        f = doc.styles[name].paragraph_format
        f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
        f.first_line_indent = Pt(0) if name == "Title" else Pt(BODY_PT * 2)
        f.space_before = f.space_after = Pt(0)


def _font_table(docx_bytes: bytes) -> bytes:
    """Add the official fonts, each with its fallback (w:altName), to word/fontTable.xml."""
    import zipfile

    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"roman" if alt == "宋体" else "modern"}"/><w:pitch w:val="fixed"/></w:font>'
        for name, alt in FONT_FALLBACKS.items()
    )
    source, out = zipfile.ZipFile(BytesIO(docx_bytes)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/fontTable.xml":
                data = data.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")
            target.writestr(item, data)
    return out.getvalue()


def work_report_docx(
    cockpit: Cockpit, *, notice: str = "", standings: list[TownshipStanding] | None = None
) -> bytes:
    """The report as a Word document in the official layout (GB/T 9704: A4, its margins, the bureau's
    fonts with fallbacks); notice: the freshness notice (completion.selectors.Freshness.notice)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    _page_setup(doc)
    _styles(doc)
    doc.core_properties.author = "潜江市人力资源和社会保障局"
    doc.core_properties.title = work_report_title(cockpit)
    title = doc.add_paragraph(work_report_title(cockpit), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    generated = timezone.localtime().strftime("%Y年%-m月%-d日")
    doc.add_paragraph(
        f"数据截至{cockpit.year}年{cockpit.month}月末,时序进度{_rate(cockpit.time_progress, 1)},"
        f"生成于{generated}。完成率 = 累计完成 ÷ 年度目标;时序进度 = 月份 ÷ 12。"
    )
    if notice:
        doc.add_paragraph(f"注意:{notice}。")
    for heading, paragraphs in work_report_sections(cockpit, standings=standings):
        doc.add_paragraph(heading, style="Heading 1")
        for text in paragraphs:
            doc.add_paragraph(text)
    out = BytesIO()
    doc.save(out)
    return _font_table(out.getvalue())
