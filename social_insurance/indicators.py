"""Social insurance indicators. Insured counts are levels at the month's end (stock);
e-card coverage is a ratio of cards issued to the resident population."""

from indicators.catalog import FLOW, RATIO, STOCK, IndicatorSpec

INDICATORS = [
    IndicatorSpec(
        "social_insurance.pension_insured", "养老保险参保人数", "人", STOCK, township_reported=False
    ),
    IndicatorSpec(
        "social_insurance.injury_insured", "工伤保险参保人数", "人", STOCK, township_reported=False
    ),
    IndicatorSpec(
        "social_insurance.unemployment_insured", "失业保险参保人数", "人", STOCK, township_reported=False
    ),
    IndicatorSpec(
        "social_insurance.flexible_new_insured", "新增灵活从业人员参保人数", "人", FLOW, rate_places=0
    ),
    IndicatorSpec(
        "social_insurance.ecard_issued", "电子社保卡累计签发数", "张", STOCK, township_reported=False
    ),
    IndicatorSpec("social_insurance.resident_population", "常住人口", "人", STOCK, township_reported=False),
    IndicatorSpec(
        "social_insurance.ecard_coverage",
        "电子社保卡签发覆盖率",
        "%",
        RATIO,
        rate_places=2,
        numerator="social_insurance.ecard_issued",
        denominator="social_insurance.resident_population",
        township_reported=False,
        description="电子社保卡累计签发数 ÷ 常住人口",
    ),
]
