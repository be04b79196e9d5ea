"""The work report in the bureau's own phrasing: the 2024 report's sentences verbatim from the demo,
mid-year sentences against the calendar naming the townships behind, one paragraph per area, and the
.docx in the official layout (GB/T 9704: A4, its margins, 仿宋_GB2312 / 方正小标宋简体 with fallbacks)."""

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from dashboard.scorecard import dashboard_scorecard
from dashboard.selectors import dashboard_cockpit
from dashboard.work_report import township_standings, work_report_docx, work_report_sections

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_d8249a813cb1ad8e.txt"

# The bureau's 2024 report, as printed (ASCII , ; % between Chinese text; full-width 、 and 。).
EMPLOYMENT_2024 = (
    "全年城镇新增就业人数12367人,省级指标完成率176.7%;失业人员再就业5698人,省级指标完成率271.3%;"
    "就业困难人员再就业2908人,省级指标完成率242.3%;新增高校毕业生就业创业1943人,省级指标完成率161.9%;"
    "新增返乡创业853人,省级指标完成率106.6%,共带动就业2519人;发放创业担保贷款1440笔,发放金额3.9亿元;"
    "累计开展职业技能提升培训6706人,省级指标完成率155.23%,各项指标数据均超额完成时序任务。"
)
INSURANCE_2024 = "新增灵活从业人员参保2568人,完成率135%;"
TALENT_2024 = (
    "新增职业资格证书或职业技能等级证书2244人,省级指标完成率112%,其中高级工1159人、技师83人,"
    "完成省级指标的193%、138%。"
)
INSURED_2024 = "养老保险参保55.16万人、工伤保险5.69万人、失业保险5万人;"


@pytest.mark.parametrize("sentence", [EMPLOYMENT_2024, INSURANCE_2024, TALENT_2024, INSURED_2024])
def test_the_expected_sentences_are_the_seed_reports_own(sentence):
    if not SEED.exists():
        pytest.skip(f"the seed report is not at {SEED}")
    seed = SEED.read_text(encoding="utf-8")
    assert sentence in seed
    assert "\uff0c" not in seed and "\uff1b" not in seed


def _report(org, year, month, *, city_view=True):
    cockpit = dashboard_cockpit(org=org, year=year, month=month)
    standings = township_standings(dashboard_scorecard(year=year, month=month)) if city_view else None
    return dict(work_report_sections(cockpit, standings=standings))


def test_december_2024_writes_the_reports_sentences_verbatim(demo, city):
    sections = _report(city, 2024, 12)
    assert list(sections) == ["一、就业", "二、社会保险", "三、人才人事", "四、劳动关系"]
    assert all(len(paragraphs) == 1 for paragraphs in sections.values())  # one paragraph per area
    assert sections["一、就业"][0].startswith(EMPLOYMENT_2024)
    assert INSURANCE_2024 in sections["二、社会保险"][0]
    assert INSURED_2024 in sections["二、社会保险"][0]
    assert (
        "签发电子社保卡60.42万张,占常住人口数的70.58%,已完成覆盖率66%的省级任务。"
        in sections["二、社会保险"][0]
    )
    assert TALENT_2024 in sections["三、人才人事"][0]


def test_the_report_uses_the_seeds_ascii_commas(demo, city):
    text = "".join(p for paragraphs in _report(city, 2024, 12).values() for p in paragraphs)
    assert "\uff0c" not in text and "\uff1b" not in text  # no full-width comma or semicolon, as in the seed
    assert text.count(",") > 20 and "、" in text and "。" in text


def test_december_names_the_townships_below_their_quota(demo, city):
    card = dashboard_scorecard(year=2024, month=12)
    behind = [
        r.org_name
        for r in card.townships
        for c in r.cells
        if c.indicator.code == "employment.returnee_startups" and c.status in ("behind", "far_behind")
    ]
    assert behind  # the demo's split leaves some townships below their share
    paragraph = _report(city, 2024, 12)["一、就业"][0]
    tail = paragraph[len(EMPLOYMENT_2024) :]
    assert tail.startswith("分区镇街道看,")
    assert "新增返乡创业人数未完成年度目标的有" + "、".join(behind) in tail


def test_mid_year_against_the_calendar_and_the_townships_behind(small, city):
    paragraph = _report(city, 2024, 3)["一、就业"][0]
    assert paragraph == (
        "1-3月城镇新增就业人数220人,完成年度目标的18.3%,落后时序进度6.7个百分点。"
        "分区镇街道看,城镇新增就业人数落后时序进度的有杨市街道,其中杨市街道严重落后。"
    )


def test_a_township_reads_its_own_figures_without_the_others(small, township_a):
    paragraph = _report(township_a, 2024, 3, city_view=False)["一、就业"][0]
    assert paragraph == "1-3月城镇新增就业人数180人,完成年度目标的30.0%,超时序进度5.0个百分点。"


def test_several_indicators_close_with_one_judgement(small, city, put, set_quota):
    from completion.services import completion_recompute

    set_quota("employment.unemployed_reemployed", "429005", 2024, 100)
    put("employment.unemployed_reemployed", "429005001", 2024, 1, 40)
    completion_recompute(year=2024)
    paragraph = _report(city, 2024, 3, city_view=False)["一、就业"][0]
    assert paragraph == (
        "1-3月城镇新增就业人数220人,完成年度目标的18.3%,落后时序进度6.7个百分点;"
        "失业人员再就业40人,完成年度目标的40.0%,超时序进度15.0个百分点,城镇新增就业人数落后时序进度。"
    )


def test_parts_mid_year_lean_the_same_way_in_one_clause(demo, city):
    paragraph = _report(city, 2024, 6, city_view=False)["三、人才人事"][0]
    assert "其中高级工566人、技师43人,完成年度目标的94%、72%,分别超时序进度44.3、21.7个百分点。" in paragraph


def test_a_township_with_a_quota_and_no_figures_is_named(small, city, set_quota):
    from completion.services import completion_recompute

    set_quota("employment.urban_new_jobs", "429005003", 2024, 100)  # 周矶街道 reports nothing
    completion_recompute(year=2024)
    paragraph = _report(city, 2024, 3)["一、就业"][0]
    assert paragraph.endswith(";周矶街道有目标任务但未报送数据。")


# ----------------------------------------------------------------------------- the .docx


def _docx(demo_city, month=12):
    cockpit = dashboard_cockpit(org=demo_city, year=2024, month=month)
    standings = township_standings(dashboard_scorecard(year=2024, month=month))
    return work_report_docx(cockpit, standings=standings)


def test_docx_is_a4_with_the_official_margins(demo, city):
    section = Document(BytesIO(_docx(city))).sections[0]
    size = section._sectPr.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # A4 portrait, in twips
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]


def test_docx_fonts_are_the_bureaus_with_fallbacks(demo, city):
    content = _docx(city)
    doc = Document(BytesIO(content))

    def east_asian(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asian(doc.styles["Normal"]) == "仿宋_GB2312"
    assert east_asian(doc.styles["Title"]) == "方正小标宋简体"
    assert east_asian(doc.styles["Heading 1"]) == "黑体"
    assert doc.styles["Normal"].font.size.pt == 16 and doc.styles["Title"].font.size.pt == 22
    assert doc.paragraphs[0].style.name == "Title"
    fonts = zipfile.ZipFile(BytesIO(content)).read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts


def test_docx_holds_the_reports_sentences(demo, city):
    text = [p.text for p in Document(BytesIO(_docx(city))).paragraphs]
    assert text[0] == "潜江市人社工作2024年全年主要指标完成情况"
    assert text[text.index("一、就业") + 1].startswith(EMPLOYMENT_2024)
    assert INSURANCE_2024 in text[text.index("二、社会保险") + 1]
    assert TALENT_2024 in text[text.index("三、人才人事") + 1]
