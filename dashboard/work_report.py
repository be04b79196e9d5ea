"""The work report (工作报告素材): the figures written the way the bureau writes its own report, under
its sections (一)…(四) and their numbered items (dashboard/report_outline.py), for any month, e.g. (the
bureau's 2024 report, (一)1):

    全年城镇新增就业人数12367人,省级指标完成率176.7%;失业人员再就业5698人,省级指标完成率271.3%;……
    累计开展职业技能提升培训6706人,省级指标完成率155.23%,各项指标数据均超额完成时序任务。

and mid-year "1-9月城镇新增就业人数9012人,完成年度目标的128.7%,超时序进度53.7个百分点;……", followed
(in the city's report) by the few townships furthest behind. The punctuation is the report's own: ASCII
commas, semicolons and per cent signs between Chinese text, full-width 。 and 、 (the seed report holds
no full-width comma).

How each indicator is written is declared data (report_outline.PHRASES and OUTLINE, JUDGEMENTS here),
not code per indicator: the words the report uses for it, whether it continues the clause before it
(",共带动就业2519人", "、技师83人"), the unit and scale it is written in (亿元, 万人), the label of its
rate and, for the figures the bureau gives rounded, the rounding rule (100余期, 约1.1万人). Rates are
written at the indicator's own precision (Indicator.rate_places: 176.7%, 155.23%, 135%).

Item numbers are the outline's, the same in every month and for every reader, so "(一)6" always means
the same item; an item with nothing to write is left out (a township's report skips the city's items),
and the city's report keeps the outline's narrative items (no figures) as a placeholder for the
bureau's prose. Beside the text: a table of the rated indicators, and the .docx carries page numbers
as official documents do (GB/T 9704: "— 1 —")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils import timezone

from common.numbers import format_figure, format_rate
from completion.progress import Progress
from indicators.models import Indicator

from .report_outline import OTHERS_TITLE, OUTLINE, PHRASES, Item, Phrase
from .selectors import Cockpit

CHINESE_ORDINALS = "一二三四五六七八九十"
FLOW, STOCK, RATIO = Indicator.Kind.FLOW, Indicator.Kind.STOCK, Indicator.Kind.RATIO


# Every wording that depends on the month (mid-year / the year's end) and on who reads it.
JUDGEMENTS = {
    "some_behind": {"mid": "{names}落后时序进度", "year": "{names}未完成年度目标任务"},
    "townships_behind": {"mid": "落后时序进度的有", "year": "未完成年度目标的有"},
    "townships_lead": "分区镇街道看,",
    "townships_many": "{count}个区镇街道,差距最大的是{names}",
    "far_behind": "其中{names}严重落后",
    "far_behind_many": "其中{count}个严重落后",
    "no_data": "{names}有目标任务但未报送数据",
    "no_data_many": "{names}等{count}个区镇街道有目标任务但未报送数据",
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
    "narrative": "(本项无统计指标,文字材料由业务科室补充。)",
}
# How many townships a sentence names: the bureau names the few furthest behind, not all 23.
NAMED_TOWNSHIPS = 3


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
    unit = phrase.unit or ind.unit
    if phrase.approx is not None:
        written = phrase.approx.write(value)
        if written is not None:
            return written + unit
    if phrase.scale > 1 and value < phrase.scale and not phrase.scale_small:  # 2200万元, not 0.22亿元
        return format_figure(value, ind.value_places).replace(",", "") + ind.unit
    places = ind.value_places if phrase.places is None else phrase.places
    return format_figure(value / phrase.scale, places).replace(",", "") + unit


def _points(gap: Decimal) -> str:
    return format_rate(abs(gap), 1)[:-1]  # without the % sign: 个百分点


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
    figures = "、".join(_written(ph, _figure(p, p.actual, ph)) for p, ph in items)
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


def _nothing(p: Progress) -> bool:
    """Nothing to write: no figure, or a zero nobody is rated on (a township has no city station)."""
    return p.actual is None or (p.actual == 0 and p.quota is None)


def _clauses(rows: list[Progress]) -> list[tuple[str, str]]:
    """[(joiner, text)]: each indicator's clause, and how it attaches to the one before (";" a new
    clause, "," or "、" a continuation, "" a figure that follows straight on). A 、-list ("A x人、B y人")
    is written as one clause. A rated indicator with no figure is said to have none, once, its parts
    with it; a continuation whose head is not written opens a clause of its own, and a figure that
    follows one not written is left out with it."""
    out: list[tuple[str, str]] = []
    period_now = ""
    chain_open = prev_written = False
    i = 0
    while i < len(rows):
        head, head_ph = rows[i], phrase_of(rows[i])
        group = [(head, head_ph)]
        while i + 1 < len(rows) and phrase_of(rows[i + 1]).joins == "、":
            i += 1
            group.append((rows[i], phrase_of(rows[i])))
        i += 1
        new_chain = not (head_ph.joins or head_ph.follows)
        chain_open = chain_open and not new_chain
        written = [(q, qh) for q, qh in group if not _nothing(q)]
        if not written or (head_ph.follows and not prev_written):
            if head.actual is None and head.quota is not None and new_chain:
                out.append((";", JUDGEMENTS["no_figure"].format(words=_names([head]))))
                chain_open = True
            prev_written = False
            continue
        p, ph = written[0]
        if len(written) > 1:
            text = _list_clause(written)
        else:
            text = ",".join([_written(ph, _figure(p, p.actual, ph)), *filter(None, _rate_words(p, ph))])
        if new_chain or not chain_open:
            period = _period(p.month, p.indicator.kind)
            text = ("" if period == period_now else period) + text
            period_now = period
            joiner = ";"
        else:
            joiner = "" if head_ph.follows else head_ph.joins
        out.append((joiner, text))
        chain_open = prev_written = True
    return out


def _written(phrase: Phrase, figure: str) -> str:
    """The indicator's words with its figure: after them, or where "{}" marks."""
    return phrase.words.replace("{}", figure) if "{}" in phrase.words else phrase.words + figure


def _names(rows: list[Progress]) -> str:
    return "、".join(p.indicator.name.replace("其中:", "").replace("其中:", "") for p in rows)


def _closing(rows: list[Progress], all_ahead: str) -> str:
    rated = [p for p in rows if p.quota is not None and p.indicator.kind != RATIO]
    if len(rated) < 2:  # "各项指标" needs several; one indicator's clause says it all
        return ""
    behind = [p for p in rated if p.status in ("behind", "far_behind", "no_data")]
    if not behind:
        return all_ahead
    when = "year" if rated[0].month == 12 else "mid"
    return JUDGEMENTS["some_behind"][when].format(names=_names(behind))


@dataclass(frozen=True)
class TownshipStanding:
    """One rated indicator at one township, from the scorecard (dashboard/scorecard.py)."""

    code: str  # indicator code
    org_name: str
    status: str
    gap: Decimal | None = None  # to the schedule, in percentage points: who is furthest behind


def _furthest(standings: list[TownshipStanding]) -> list[TownshipStanding]:
    return sorted(standings, key=lambda s: (s.gap is None, s.gap if s.gap is not None else 0))


def _named(standings: list[TownshipStanding]) -> str:
    return "、".join(s.org_name for s in standings[:NAMED_TOWNSHIPS])


def _townships_sentence(rows: list[Progress], standings: list[TownshipStanding], month: int) -> str:
    """ "分区镇街道看,城镇新增就业人数落后时序进度的有A、B,其中B严重落后;……。" (the city's report):
    each rated indicator's townships behind, furthest first, at most NAMED_TOWNSHIPS of them by name
    (then the count: "……的有12个区镇街道,差距最大的是A、B、C,其中5个严重落后")."""
    rated = {p.indicator.code: p for p in rows if p.quota is not None}
    parts: list[str] = []
    missing: dict[str, TownshipStanding] = {}
    head = JUDGEMENTS["townships_behind"]["year" if month == 12 else "mid"]
    for code, p in rated.items():
        mine = [s for s in standings if s.code == code]
        behind = _furthest([s for s in mine if s.status in ("behind", "far_behind")])
        far = [s for s in behind if s.status == "far_behind"]
        for s in mine:
            if s.status == "no_data":
                missing.setdefault(s.org_name, s)
        if not behind:
            continue
        if len(behind) <= NAMED_TOWNSHIPS:
            text = f"{_names([p])}{head}{_named(behind)}"
            if far:
                text += "," + JUDGEMENTS["far_behind"].format(names=_named(far))
        else:
            text = f"{_names([p])}{head}" + JUDGEMENTS["townships_many"].format(
                count=len(behind), names=_named(behind)
            )
            if far:
                text += "," + JUDGEMENTS["far_behind_many"].format(count=len(far))
        parts.append(text)
    if missing:
        absent = list(missing.values())
        if len(absent) <= NAMED_TOWNSHIPS:
            parts.append(JUDGEMENTS["no_data"].format(names=_named(absent)))
        else:
            parts.append(JUDGEMENTS["no_data_many"].format(names=_named(absent), count=len(absent)))
    return JUDGEMENTS["townships_lead"] + ";".join(parts) + "。" if parts else ""


def item_paragraph(
    rows: list[Progress], standings: list[TownshipStanding] = (), *, all_ahead: str = ""
) -> str:
    """One item's paragraph: its indicators' clauses in the outline's order, the closing judgement
    (`all_ahead` when every rated one is on schedule) and, given the townships' standings, the
    townships behind."""
    shown = [p for p in rows if not phrase_of(p).omit]
    clauses = _clauses(shown)
    if not clauses:
        return ""
    text = clauses[0][1] + "".join(joiner + clause for joiner, clause in clauses[1:])
    closing = _closing(shown, all_ahead)
    text += ("," + closing if closing else "") + "。"
    if standings:
        text += _townships_sentence(shown, list(standings), shown[0].month)
    return text


@dataclass(frozen=True)
class ReportItem:
    number: int
    title: str
    text: str

    @property
    def heading(self) -> str:
        return f"{self.number}.{self.title}"


@dataclass(frozen=True)
class ReportSection:
    heading: str  # (一)牢牢把握就业优先,推进高质量充分就业
    items: list[ReportItem]

    @property
    def text(self) -> str:
        """The section as plain text, one item a line ("1.标题。正文")."""
        return "\n".join(f"{item.heading}。{item.text}" for item in self.items)


def _section_items(
    items: tuple[Item, ...], by_code: dict[str, Progress], standings: list[TownshipStanding], *, city: bool
) -> list[ReportItem]:
    out = []
    for number, item in enumerate(items, 1):
        if not item.codes:
            if city:
                out.append(ReportItem(number, item.title, JUDGEMENTS["narrative"]))
            continue
        rows = [by_code[code] for code in item.codes if code in by_code]
        text = item_paragraph(rows, standings, all_ahead=item.closing)
        if text:
            out.append(ReportItem(number, item.title, text))
    return out


def work_report_sections(
    cockpit: Cockpit, *, standings: list[TownshipStanding] | None = None
) -> list[ReportSection]:
    """The report's sections (一)…(四), each with its numbered items, from the cockpit's figures (the
    rated indicators and the other figures alike). An indicator of the year's set the outline does not
    name is written in an item "其他指标" at the end of its area's section, so nothing is left out.
    `standings`: the townships' statuses (the city's report names the ones furthest behind)."""
    rows = [*cockpit.rows, *cockpit.others]
    by_code = {p.indicator.code: p for p in rows}
    named = {code for section in OUTLINE for item in section.items for code in item.codes}
    city = len(cockpit.org_code) == 6
    sections: list[ReportSection] = []
    outline = {section.area: section for section in OUTLINE}
    areas = [*outline, *dict.fromkeys(p.indicator.area for p in rows if p.indicator.area not in outline)]
    for n, area in enumerate(areas):
        section = outline.get(area)
        items = _section_items(section.items, by_code, standings or [], city=city) if section else []
        unnamed = sorted(
            (p for p in rows if p.indicator.area == area and p.indicator.code not in named),
            key=lambda p: (p.indicator.sort_order, p.indicator.code),
        )
        extra = item_paragraph(unnamed, standings or [])
        if extra:
            items.append(ReportItem(len(section.items) + 1 if section else 1, OTHERS_TITLE, extra))
        if any(item.text != JUDGEMENTS["narrative"] for item in items):
            label = (
                section.heading if section else f"({CHINESE_ORDINALS[n]}){unnamed[0].indicator.area_label}"
            )
            sections.append(ReportSection(label, items))
    return sections


@dataclass(frozen=True)
class TableRow:
    """A row of the report's table of rated indicators (附表)."""

    number: int
    area: str
    name: str
    unit: str
    quota: str
    actual: str
    rate: str
    benchmark: str  # 时序进度 for a flow, 100% for a level
    gap: str  # percentage points, signed
    status: str


TABLE_HEADER = (
    "序号",
    "领域",
    "指标",
    "单位",
    "年度目标",
    "累计完成",
    "完成率",
    "进度要求",
    "进度差(百分点)",
    "状态",
)


def work_report_table(cockpit: Cockpit) -> list[TableRow]:
    """The rated indicators (those with a quota for the unit), in the cockpit's order."""
    out = []
    for p in cockpit.rows:
        benchmark = p.completion_rate - p.gap if p.completion_rate is not None and p.gap is not None else None
        out.append(
            TableRow(
                len(out) + 1,
                p.indicator.area_label,
                p.indicator.name,
                "%" if p.indicator.kind == RATIO else p.indicator.unit,
                p.quota_display,
                p.actual_display,
                p.rate_display,
                format_rate(benchmark, 1),
                p.gap_display,
                p.status_label,
            )
        )
    return out


def township_standings(card) -> list[TownshipStanding]:
    """The scorecard's rated cells as standings for the city's report."""
    return [
        TownshipStanding(c.indicator.code, r.org_name, c.status, c.gap)
        for r in card.townships
        for c in r.cells
        if c.rated
    ]


def work_report_title(cockpit: Cockpit) -> str:
    span = "全年" if cockpit.month == 12 else ("1月" if cockpit.month == 1 else f"1-{cockpit.month}月")
    return f"{cockpit.org_name}人社工作{cockpit.year}年{span}主要指标完成情况"


# --------------------------------------------------------------------------- the .docx

# GB/T 9704-2012 (党政机关公文格式): A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in
# 2号 方正小标宋简体, body in 3号 仿宋_GB2312, first-level headings in 3号 黑体, second-level in 3号
# 楷体_GB2312, 22 lines a page; page numbers in 4号 半角宋体 Arabic figures between one-em dashes
# ("— 1 —"), 7 mm below the text, odd pages on the right, even pages on the left, each one character in.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_FONT = (
    "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体",
)  # fmt: skip
TITLE_PT, BODY_PT, PAGE_PT, TABLE_PT = 22, 16, 14, 10.5
LINE_PT = 28.95  # 225 mm of text area ÷ 22 lines
FOOTER_MM = 28  # the footer's distance from the page edge: 35 mm bottom margin − 7 mm
# What Word and WPS use when the reader's machine lacks the official font (w:altName in the font
# table): every Chinese Windows has 仿宋 (FangSong), 宋体 (SimSun), 楷体 (KaiTi) and 黑体 (SimHei).
FONT_FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", HEADING_FONT: "黑体", SUBHEADING_FONT: "楷体"}


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
        section.footer_distance = Mm(FOOTER_MM)


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
    _set_font(doc.styles["Heading 2"], SUBHEADING_FONT, BODY_PT)
    for name in ("Title", "Heading 1", "Heading 2"):
        f = doc.styles[name].paragraph_format
        f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
        f.first_line_indent = Pt(0) if name == "Title" else Pt(BODY_PT * 2)
        f.space_before = f.space_after = Pt(0)


def _field(paragraph, instruction: str) -> None:
    """A field (PAGE) in a paragraph: Word and WPS fill it in as they lay out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _set_font(run, PAGE_FONT, PAGE_PT)
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
            run._r.append(element)
        else:
            run.text = text


def _page_numbers(doc) -> None:
    """ "— N —" at the foot of every page: odd pages on the right, even on the left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = Pt(0)
            setattr(fmt, side, Pt(PAGE_PT))  # one character in from the edge of the text
            _set_font(paragraph.add_run("— "), PAGE_FONT, PAGE_PT)
            _field(paragraph, "PAGE")
            _set_font(paragraph.add_run(" —"), PAGE_FONT, PAGE_PT)


def _table(doc, rows: list[TableRow]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    for row_cells, values, bold in (
        (table.rows[0].cells, TABLE_HEADER, True),
        *((table.add_row().cells, _table_values(row), False) for row in rows),
    ):
        for cell, value in zip(row_cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(paragraph.add_run(str(value)), BODY_FONT, TABLE_PT, bold=bold)


def _table_values(row: TableRow) -> tuple:
    return (
        row.number,
        row.area,
        row.name,
        row.unit,
        row.quota,
        row.actual,
        row.rate,
        row.benchmark,
        row.gap,
        row.status,
    )


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
    fonts with fallbacks, page numbers), the table of rated indicators at its end (附表); notice: the
    freshness notice (completion.selectors.Freshness.notice)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _page_numbers(doc)
    doc.core_properties.author = "潜江市人力资源和社会保障局"
    doc.core_properties.title = work_report_title(cockpit)
    title = doc.add_paragraph(work_report_title(cockpit), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    generated = timezone.localtime().strftime("%Y年%-m月%-d日")
    doc.add_paragraph(
        f"数据截至{cockpit.year}年{cockpit.month}月末,时序进度{format_rate(cockpit.time_progress, 1)},"
        f"生成于{generated}。完成率 = 累计完成 ÷ 年度目标;时序进度 = 月份 ÷ 12。"
    )
    if notice:
        doc.add_paragraph(f"注意:{notice}。")
    for section in work_report_sections(cockpit, standings=standings):
        doc.add_paragraph(section.heading, style="Heading 2")
        for item in section.items:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{item.heading}。").bold = True
            paragraph.add_run(item.text)
    rows = work_report_table(cockpit)
    if rows:
        doc.add_paragraph(f"附表:{work_report_title(cockpit)}表", style="Heading 1")
        _table(doc, rows)
    out = BytesIO()
    doc.save(out)
    return _font_table(out.getvalue())
