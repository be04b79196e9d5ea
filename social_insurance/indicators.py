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
    # Funds paid and collected (二)1–2, entered by the bureau from the insurance systems each month.
    IndicatorSpec(
        "social_insurance.pension_payouts",
        "养老保险退休待遇发放",
        "万元",
        FLOW,
        value_places=2,
        township_reported=False,
    ),
    IndicatorSpec(
        "social_insurance.injury_benefits",
        "工伤待遇发放",
        "万元",
        FLOW,
        value_places=2,
        township_reported=False,
    ),
    IndicatorSpec(
        "social_insurance.land_projects",
        "被征地农民养老保险资金测算项目",
        "个",
        FLOW,
        township_reported=False,
        description="由被征地农民养老保险资金测算台账汇总:测算项目数。",
    ),
    IndicatorSpec(
        "social_insurance.land_people",
        "被征地农民养老保险测算人数",
        "人",
        FLOW,
        township_reported=False,
        description="由被征地农民养老保险资金测算台账汇总:被征地农民人数。",
    ),
    IndicatorSpec(
        "social_insurance.land_compensation",
        "被征地农民养老保险补偿资金",
        "万元",
        FLOW,
        value_places=2,
        township_reported=False,
        description="由被征地农民养老保险资金测算台账汇总:测算的补偿资金。",
    ),
    IndicatorSpec(
        "social_insurance.physical_cards",
        "社会保障卡三代卡制发(本年)",
        "张",
        FLOW,
        township_reported=False,
        description="由社保卡发放登记汇总:当月发放的三代社保卡。",
    ),
    IndicatorSpec(
        "social_insurance.physical_cards_total",
        "社会保障卡三代卡累计制发",
        "张",
        STOCK,
        township_reported=False,
        description="由社保卡发放登记汇总:截至月末累计发放的三代社保卡(含期初)。",
    ),
    IndicatorSpec(
        "social_insurance.ecards_applied",
        "电子社保卡申领(本年)",
        "张",
        FLOW,
        township_reported=False,
        description="由社保卡发放登记汇总:当月签发的电子社保卡。",
    ),
    IndicatorSpec(
        "social_insurance.fee_relief_employers",
        "减少社保费支出的参保单位",
        "家",
        FLOW,
        township_reported=False,
    ),
    IndicatorSpec(
        "social_insurance.fee_relief_amount",
        "减少社保费支出金额",
        "万元",
        FLOW,
        value_places=2,
        township_reported=False,
    ),
    IndicatorSpec(
        "social_insurance.arrears_institutions",
        "机关养老保险欠费催缴单位",
        "家",
        FLOW,
        township_reported=False,
    ),
    IndicatorSpec(
        "social_insurance.arrears_collected",
        "机关养老保险欠费催缴金额",
        "万元",
        FLOW,
        value_places=2,
        rate_places=0,
        township_reported=False,
        description="机关事业单位养老保险欠费清缴金额;完成率为对照清缴任务。",
    ),
    IndicatorSpec(
        "social_insurance.resident_premiums",
        "城乡居民养老保险征收保费",
        "万元",
        FLOW,
        value_places=2,
        township_reported=False,
    ),
    IndicatorSpec(
        "social_insurance.resident_contribution_avg",
        "城乡居民养老保险人均缴费额",
        "元",
        STOCK,
        value_places=2,
        township_reported=False,
        description="年初至今征收保费 ÷ 缴费人数,月末数。",
    ),
    IndicatorSpec(
        "social_insurance.resident_benefit_level",
        "城乡居民养老保险待遇水平",
        "元",
        STOCK,
        value_places=2,
        township_reported=False,
        description="月人均基础养老金及个人账户养老金。",
    ),
    IndicatorSpec(
        "social_insurance.silent_certification_rate",
        "领取养老金资格静默认证率",
        "%",
        STOCK,
        value_places=2,
        township_reported=False,
        description="静默认证人数 ÷ 应认证人数,月末数。",
    ),
]
