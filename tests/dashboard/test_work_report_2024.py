"""The work report from the demo's 2024, as the bureau's own phrasing: every figure of the 2024 report (seed-figures-2024.tsv)
under its sections and numbered items from the demo's values and records, the report's sentences
verbatim, mid-year sentences against the calendar naming the few townships furthest behind, and the
.docx in the official layout (GB/T 9704: A4, its margins, 仿宋_GB2312 / 方正小标宋简体 with fallbacks,
page numbers "— N —", the table of rated indicators)."""

import re
import zipfile
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from dashboard.scorecard import dashboard_scorecard
from dashboard.selectors import dashboard_cockpit
from dashboard.work_report import NAMED_TOWNSHIPS, township_standings, work_report_docx

from .work_report_text import (
    EMPLOYMENT_2024,
    FIGURES,
    FIGURES_COPY,
    INSURANCE_2024,
    INSURED_2024,
    TALENT_2024,
)
from .work_report_text import report_items as _report
from .work_report_text import report_sections as _sections


def _figures_file() -> Path:
    return FIGURES if FIGURES.exists() else FIGURES_COPY


def test_december_2024_states_every_figure_of_the_bureaus_report(demo_2024, city):
    """Each of the 101 figures, as value and unit ("3.9亿元", "100余期", "约1.1万人"), in its own section
    and numbered item, from the demo's monthly values and register records."""
    items = _report(city, 2024, 12)
    lines = [line.split("\t") for line in _figures_file().read_text(encoding="utf-8").splitlines()]
    figures = [line for line in lines if line and not line[0].startswith("#")]
    assert len(figures) == 101
    missing = [
        f"{where} {name}: {value}{unit}(报告原文:{said})"
        for where, name, value, unit, _kind, said in figures
        if f"{value}{unit}" not in items.get(where, "")
    ]
    assert not missing, "2024年12月的工作报告缺少以下数字:\n" + "\n".join(missing)


def test_december_2024_writes_the_reports_sentences_verbatim(demo_2024, city):
    sections = _sections(city, 2024, 12)
    assert [s.heading for s in sections] == [
        "(一)牢牢把握就业优先,推进高质量充分就业",
        "(二)牢牢把握民生福祉,健全多层次社保体系",
        "(三)牢牢把握人才保障,培育高素质人力资源",
        "(四)牢牢把握和谐同行,构建新时代劳动关系",
    ]
    assert [item.heading for item in sections[0].items][:2] == [
        "1.强化指标落实,筑牢高质量就业发展“坚实路”",
        "2.构建网络矩阵,打造精准就业服务“新模式”",
    ]
    items = _report(city, 2024, 12)
    assert items["(一)1"].startswith(EMPLOYMENT_2024)
    assert INSURANCE_2024 in items["(二)1"]
    assert INSURED_2024 in items["(二)1"]
    assert "签发电子社保卡60.42万张,占常住人口数的70.58%,已完成覆盖率66%的省级任务。" in items["(二)1"]
    assert TALENT_2024 in items["(三)2"]
    assert "惠及1019家企业31381人" in items["(一)4"]  # the figure first where the report puts it first
    assert "为1244名劳动者追发工资待遇1545.7482万元" in items["(四)2"]
    # the outline's prose-only items keep their numbers in the city's report
    assert items["(一)5"] == items["(四)1"] == "(本项无统计指标,文字材料由业务科室补充。)"


def test_the_report_uses_the_seeds_ascii_commas(demo_2024, city):
    text = "".join(_report(city, 2024, 12).values())
    assert "\uff0c" not in text and "\uff1b" not in text  # no full-width comma or semicolon, as in the seed
    assert text.count(",") > 20 and "、" in text and "。" in text


def test_december_names_the_few_townships_furthest_behind(demo_2024, city):
    card = dashboard_scorecard(year=2024, month=12)
    cells = [
        (c.gap, r.org_name)
        for r in card.townships
        for c in r.cells
        if c.indicator.code == "employment.returnee_startups" and c.status in ("behind", "far_behind")
    ]
    assert len(cells) > NAMED_TOWNSHIPS  # the demo's split leaves many townships below their share
    furthest = [name for _gap, name in sorted(cells)[:NAMED_TOWNSHIPS]]
    paragraph = _report(city, 2024, 12)["(一)1"]
    tail = paragraph[len(EMPLOYMENT_2024) :]
    assert tail.startswith("分区镇街道看,")
    assert (
        f"新增返乡创业人数未完成年度目标的有{len(cells)}个区镇街道,差距最大的是{'、'.join(furthest)}" in tail
    )
    others = {name for _gap, name in sorted(cells)[NAMED_TOWNSHIPS:]}
    sentence = tail.split(";")[1]
    assert not [name for name in others if name in sentence]  # the rest are counted, not named


def test_a_month_writes_the_same_items_with_its_cumulative_figures(demo_2024, city):
    items = _report(city, 2024, 9)
    assert items["(一)1"].startswith("1-9月城镇新增就业人数")
    assert "完成年度目标的" in items["(一)1"] and "时序进度" in items["(一)1"]
    assert items["(四)2"].startswith("1-9月共办理劳动人事争议案件")
    assert "(四)3" in items and "冬季行动" not in items["(四)3"]  # the winter campaign starts in November


def test_a_townships_report_has_its_own_items_and_no_empty_ones(demo_2024):
    from orgs.models import OrgUnit

    township = OrgUnit.objects.get(code="429005001")
    items = _report(township, 2024, 9, city_view=False)
    assert "(一)1" in items and "(一)5" not in items  # no prose placeholders for a township
    text = "".join(items.values())
    assert not re.search(r"(?<![\d.])0(个|件|人)", text)  # a zero nobody is rated on is not said


def test_parts_mid_year_lean_the_same_way_in_one_clause(demo_2024, city):
    paragraph = _report(city, 2024, 6, city_view=False)["(三)2"]
    assert "其中高级工566人、技师43人,完成年度目标的94%、72%,分别超时序进度44.3、21.7个百分点。" in paragraph


def _docx(demo_city, month=12):
    cockpit = dashboard_cockpit(org=demo_city, year=2024, month=month)
    standings = township_standings(dashboard_scorecard(year=2024, month=month))
    return work_report_docx(cockpit, standings=standings)


def test_docx_is_a4_with_the_official_margins(demo_2024, city):
    section = Document(BytesIO(_docx(city))).sections[0]
    size = section._sectPr.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # A4 portrait, in twips
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]


def test_docx_fonts_are_the_bureaus_with_fallbacks(demo_2024, city):
    content = _docx(city)
    doc = Document(BytesIO(content))

    def east_asian(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asian(doc.styles["Normal"]) == "仿宋_GB2312"
    assert east_asian(doc.styles["Title"]) == "方正小标宋简体"
    assert east_asian(doc.styles["Heading 1"]) == "黑体"
    assert east_asian(doc.styles["Heading 2"]) == "楷体_GB2312"  # (一)…: second-level headings
    assert doc.styles["Normal"].font.size.pt == 16 and doc.styles["Title"].font.size.pt == 22
    assert doc.paragraphs[0].style.name == "Title"
    fonts = zipfile.ZipFile(BytesIO(content)).read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts


def test_docx_pages_are_numbered_as_official_documents_are(demo_2024, city):
    """ "— N —" in 4号 宋体 at the foot of every page, odd pages on the right, even on the left."""
    doc = Document(BytesIO(_docx(city)))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert 'w:fldCharType="begin"' in xml and "PAGE" in xml
        assert paragraph.text == "— 1 —"  # the field's cached value between the dashes
        assert paragraph.alignment.name.lower() == align
        assert {run.font.size.pt for run in paragraph.runs} == {14}


def test_docx_holds_the_items_and_the_table_of_rated_indicators(demo_2024, city):
    doc = Document(BytesIO(_docx(city)))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "潜江市人社工作2024年全年主要指标完成情况"
    first = text.index("(一)牢牢把握就业优先,推进高质量充分就业")
    assert text[first + 1].startswith("1.强化指标落实,筑牢高质量就业发展“坚实路”。" + EMPLOYMENT_2024)
    assert any(INSURANCE_2024 in t for t in text) and any(TALENT_2024 in t for t in text)
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[:3] == ["序号", "领域", "指标"] and "完成率" in header
    rows = {r.cells[2].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["城镇新增就业人数"][4:7] == ["7,000", "12,367", "176.7%"]
    cockpit = dashboard_cockpit(org=city, year=2024, month=12)
    assert len(rows) == len(cockpit.rows)  # every rated indicator, once
