"""Employment indicators, as the bureau's annual report names them. The descriptions (口径说明) of the
register-fed ones say which records count and in which month (employment/feeds.py)."""

from indicators.catalog import FLOW, STOCK, IndicatorSpec

# Entered by the bureau at 市本级 or counted from a register: not in the townships' template.
BUREAU = {"township_reported": False}

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
    # The gig-work network (一)2: stations counted from the register as they open (levels), and what
    # they did, running totals since the network began (the report's 累计 figures).
    IndicatorSpec(
        "employment.gig_hubs",
        "市级零工驿站总站",
        "个",
        STOCK,
        **BUREAU,
        description="由零工驿站台账汇总:运营中的市级总站数(截至月末)。",
    ),
    IndicatorSpec(
        "employment.gig_branches",
        "特色产业零工驿站分站",
        "个",
        STOCK,
        **BUREAU,
        description="由零工驿站台账汇总:运营中的行业分站数(截至月末)。",
    ),
    IndicatorSpec(
        "employment.gig_micro_stations",
        "区镇街道零工微站",
        "个",
        STOCK,
        **BUREAU,
        description="由零工驿站台账汇总:运营中的区镇街道微站数(截至月末)。",
    ),
    IndicatorSpec(
        "employment.gig_village_points",
        "村级(社区)公共就业服务微站",
        "个",
        STOCK,
        **BUREAU,
        description="由零工驿站台账汇总:运营中的村级(社区)微站数(截至月末)。",
    ),
    IndicatorSpec(
        "employment.gig_services",
        "就业服务点服务办事群众",
        "人次",
        STOCK,
        **BUREAU,
        description="由零工驿站服务月报汇总:各服务点累计服务人次。",
    ),
    IndicatorSpec(
        "employment.gig_registrations",
        "零工库登记信息",
        "条",
        STOCK,
        **BUREAU,
        description="由零工驿站服务月报汇总:累计登记零工信息条数。",
    ),
    IndicatorSpec(
        "employment.gig_job_postings",
        "收集发布招聘信息",
        "条",
        STOCK,
        **BUREAU,
        description="由零工驿站服务月报汇总:累计收集发布招聘信息条数。",
    ),
    IndicatorSpec(
        "employment.gig_consultations",
        "提供咨询服务",
        "人次",
        STOCK,
        **BUREAU,
        description="由零工驿站服务月报汇总:累计提供咨询服务人次。",
    ),
    IndicatorSpec(
        "employment.gig_placements",
        "推荐上岗成功人数",
        "人",
        STOCK,
        **BUREAU,
        description="由零工驿站服务月报汇总:累计推荐上岗成功人数。",
    ),
    # 潜江数智就业系统: the system's own counters, entered by the bureau at month end (levels).
    IndicatorSpec("employment.smart_employers", "数智就业系统入驻企业", "家", STOCK, **BUREAU),
    IndicatorSpec("employment.smart_services", "数智就业系统经办业务", "件", STOCK, **BUREAU),
    IndicatorSpec("employment.smart_job_pushes", "数智就业系统精准推送岗位信息", "条", STOCK, **BUREAU),
    # Training (一)3, from the training register by class type.
    IndicatorSpec(
        "employment.syb_classes",
        "SYB讲师培训班",
        "期",
        FLOW,
        **BUREAU,
        description="由职业技能培训台账汇总:SYB创业培训班期数,按结业日期所在月份计入。",
    ),
    IndicatorSpec(
        "employment.prison_trainees",
        "服刑人员就业创业培训人数",
        "人",
        FLOW,
        **BUREAU,
        description="由职业技能培训台账汇总:监狱服刑人员培训班培训人数。",
    ),
    IndicatorSpec(
        "employment.brand_trainees",
        "劳务品牌专业培训人数(小龙虾加工、服装缝纫)",
        "人",
        FLOW,
        **BUREAU,
        description="由职业技能培训台账汇总:龙虾加工、缝纫培训班培训人数。",
    ),
    # Policy money and its reach (一)4, entered by the bureau from the payment systems each month.
    IndicatorSpec(
        "employment.flexible_subsidy_people", "灵活就业困难人员社保补贴人次", "人次", FLOW, **BUREAU
    ),
    IndicatorSpec(
        "employment.flexible_subsidy_amount",
        "灵活就业困难人员社保补贴金额",
        "万元",
        FLOW,
        value_places=2,
        **BUREAU,
    ),
    IndicatorSpec(
        "employment.stabilisation_refund", "失业保险稳岗返还资金", "万元", FLOW, value_places=2, **BUREAU
    ),
    IndicatorSpec("employment.stabilisation_firms", "稳岗返还惠及企业", "家", FLOW, **BUREAU),
    IndicatorSpec("employment.stabilisation_workers", "稳岗返还惠及职工", "人", FLOW, **BUREAU),
    # Labour cooperation (一)6: the townships count the workers who came back; the bureau its visits.
    IndicatorSpec(
        "employment.returned_workers",
        "回潜就业创业的外出务工人员",
        "人",
        FLOW,
        description="各区镇街道统计当月回潜就业创业的潜江籍外出务工人员。",
    ),
    IndicatorSpec("employment.guangdong_firms_visited", "走访在粤潜江籍企业", "家", FLOW, **BUREAU),
    IndicatorSpec("employment.guangdong_meetings", "交流座谈会", "场", FLOW, **BUREAU),
]
