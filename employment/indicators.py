"""Employment indicators, as the bureau's annual report names them."""

from indicators.catalog import FLOW, IndicatorSpec

INDICATORS = [
    IndicatorSpec("employment.urban_new_jobs", "城镇新增就业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.unemployed_reemployed", "失业人员再就业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.hardship_reemployed", "就业困难人员再就业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.graduates_employed", "新增高校毕业生就业创业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.returnee_startups", "新增返乡创业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.returnee_jobs_created", "返乡创业带动就业人数", "人", FLOW, rate_places=1),
    IndicatorSpec("employment.guarantee_loans", "创业担保贷款发放笔数", "笔", FLOW, township_reported=False),
    IndicatorSpec(
        "employment.guarantee_loan_amount",
        "创业担保贷款发放金额",
        "万元",
        FLOW,
        value_places=4,
        township_reported=False,
    ),
    IndicatorSpec("employment.skills_training", "职业技能提升培训人数", "人", FLOW, rate_places=2),
]
