"""Employment indicators, as the bureau's annual report names them. The descriptions (口径说明) of the
register-fed ones say which records count and in which month (employment/feeds.py)."""

from indicators.catalog import FLOW, IndicatorSpec

INDICATORS = [
    IndicatorSpec("employment.urban_new_jobs", "城镇新增就业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.unemployed_reemployed", "失业人员再就业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.hardship_reemployed", "就业困难人员再就业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.graduates_employed", "新增高校毕业生就业创业人数", "人", FLOW, rate_places=1),
    IndicatorSpec(
        "employment.returnee_startups",
        "新增返乡创业人数",
        "人",
        FLOW,
        rate_places=1,
        description="由返乡创业台账汇总:每户返乡创业计1人,按创业日期所在月份计入所在区镇街道。",
    ),
    IndicatorSpec(
        "employment.returnee_jobs_created",
        "返乡创业带动就业人数",
        "人",
        FLOW,
        rate_places=1,
        description="由返乡创业台账汇总:各户带动就业人数之和,按创业日期所在月份计入。",
    ),
    IndicatorSpec(
        "employment.guarantee_loans",
        "创业担保贷款发放笔数",
        "笔",
        FLOW,
        township_reported=False,
        description="由创业担保贷款台账汇总:按发放日期所在月份统计笔数。",
    ),
    IndicatorSpec(
        "employment.guarantee_loan_amount",
        "创业担保贷款发放金额",
        "万元",
        FLOW,
        value_places=4,
        township_reported=False,
        description="由创业担保贷款台账汇总:按发放日期所在月份合计贷款金额(万元)。",
    ),
    IndicatorSpec(
        "employment.skills_training",
        "职业技能提升培训人数",
        "人",
        FLOW,
        rate_places=2,
        description="由职业技能培训台账汇总:培训班结业后才计入,按结业日期所在月份合计培训人数。",
    ),
]
