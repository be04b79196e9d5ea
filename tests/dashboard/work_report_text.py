"""What the work report tests share: the bureau's own sentences and the report read by item."""

from pathlib import Path

from dashboard.scorecard import dashboard_scorecard
from dashboard.selectors import dashboard_cockpit
from dashboard.work_report import township_standings, work_report_sections

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "seed" / "000_d8249a813cb1ad8e.txt"
# The report's 101 yearly figures, one a line: the shared file when it is there, else the copy kept
# with the tests (identical: test_the_figures_file_is_the_shared_one).
FIGURES = SHARED / "seed-figures-2024.tsv"
FIGURES_COPY = Path(__file__).resolve().parent / "data" / "seed-figures-2024.tsv"

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


def report_sections(org, year, month, *, city_view=True):
    cockpit = dashboard_cockpit(org=org, year=year, month=month)
    standings = township_standings(dashboard_scorecard(year=year, month=month)) if city_view else None
    return work_report_sections(cockpit, standings=standings)


def report_items(org, year, month, *, city_view=True) -> dict[str, str]:
    """{"(一)1": the item's text}: the report's items by their section and number."""
    return {
        f"{section.heading[:3]}{item.number}": item.text
        for section in report_sections(org, year, month, city_view=city_view)
        for item in section.items
    }
