"""How the work report is laid out and worded, as data: the bureau's own report (section 一 of its 2024
report) is the model. OUTLINE lists its sections (一)…(四) and their numbered items, each with the
indicators it states, by code, in the report's order; PHRASES says how the report writes each of them:
its words, whether it continues the clause before it, the unit and scale it is written in (亿元, 万人),
and, for figures the bureau gives rounded, the rule that rounds them (Approx).

Indicators come and go with the year's set: an item writes what the year's set has and has figures for,
and an indicator the outline does not name (a new one the bureau added) is written in an item of its own
area's section, so nothing is left out. The figures themselves are always the portal's, never typed here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from common.numbers import round_half_up

W = 10_000  # 万


@dataclass(frozen=True)
class Approx:
    """A figure the bureau writes rounded, by a declared rule:
    - "余": down to a multiple of `step`, then 余 (104 期 → 100余期, 3,436 人次 → 3400余人次, 256 份 → 250余份);
    - "约": half up to a multiple of `step`, written in 万 when `step` is a part of 万 (10,986 → 约1.1万).
    Below one step the figure is written exactly (a month's 8 classes are 8期, not 0余期)."""

    word: str  # "余" or "约"
    step: int

    def write(self, value: Decimal) -> str | None:
        if value < self.step:
            return None
        if self.word == "余":
            floored = (value / self.step).to_integral_value(rounding=ROUND_FLOOR) * self.step
            return f"{floored.normalize():f}余"
        rounded = round_half_up(value / self.step, 0) * self.step
        if self.step < W <= rounded:
            return f"约{(rounded / W).normalize():f}万"
        return f"约{rounded.normalize():f}"


@dataclass(frozen=True)
class Phrase:
    """How the report writes one indicator."""

    words: str  # the indicator inside a sentence: "失业人员再就业", "累计开展职业技能提升培训";
    # "{}" marks where the figure goes when it comes first ("惠及{}企业" → 惠及1019家企业)
    joins: str = ""  # "," or "、": continues the clause before it, with no period of its own
    follows: bool = False  # written straight after the figure before it (惠及1019家企业31381人)
    unit: str | None = None  # the unit written, when not the indicator's own ("起", "亿元", "万人")
    scale: int = 1  # the stored figure ÷ scale is the figure written (万元 → 亿元: 10000), once it is ≥ 1
    scale_small: bool = False  # written in the scaled unit even below 1 (涉及劳动者0.9809万人)
    places: int | None = None  # at most this many decimals of the written figure (default: the indicator's)
    rate_label: str = "省级指标完成率"  # the year's rate at the city; a township's says 年度目标
    target_words: str = ""  # a ratio's target: "覆盖率" → 已完成覆盖率66%的省级任务
    omit: bool = False  # a denominator or a component the report never writes
    approx: Approx | None = None  # the bureau's rounding of the written figure


PHRASES: dict[str, Phrase] = {
    # (一)1
    "employment.urban_new_jobs": Phrase("城镇新增就业人数"),
    "employment.unemployed_reemployed": Phrase("失业人员再就业"),
    "employment.hardship_reemployed": Phrase("就业困难人员再就业"),
    "employment.graduates_employed": Phrase("新增高校毕业生就业创业"),
    "employment.returnee_startups": Phrase("新增返乡创业"),
    "employment.returnee_jobs_created": Phrase("共带动就业", joins=","),
    "employment.guarantee_loans": Phrase("发放创业担保贷款"),
    "employment.guarantee_loan_amount": Phrase("发放金额", joins=",", unit="亿元", scale=W, places=2),
    "employment.skills_training": Phrase("累计开展职业技能提升培训"),
    # (一)2
    "employment.gig_hubs": Phrase("市级零工驿站总站"),
    "employment.gig_branches": Phrase("特色产业零工驿站分站", joins="、"),
    "employment.gig_micro_stations": Phrase("区镇街道零工微站", joins="、"),
    "employment.gig_village_points": Phrase("村级(社区)公共就业服务微站", joins="、"),
    "employment.gig_services": Phrase("各服务点累计为办事群众提供服务", unit="万人次", scale=W, places=1),
    "employment.gig_registrations": Phrase("累计登记零工库信息", joins=","),
    "employment.gig_job_postings": Phrase("收集发布招聘信息", joins=","),
    "employment.gig_consultations": Phrase("提供咨询服务", joins=","),
    "employment.gig_placements": Phrase("推荐上岗成功人数", joins=","),
    "employment.smart_employers": Phrase("数智就业系统入驻企业已达到"),
    "employment.smart_services": Phrase("经办业务", joins=","),
    "employment.smart_job_pushes": Phrase("精准推送岗位信息", joins=","),
    # (一)3
    "employment.syb_classes": Phrase("积极举办SYB讲师培训班", approx=Approx("余", 100)),
    "employment.prison_trainees": Phrase("组织开展服刑人员就业创业培训"),
    "employment.brand_trainees": Phrase("开展小龙虾加工和服装缝纫专业培训"),
    # (一)4
    "employment.flexible_subsidy_people": Phrase("为{}发放灵活就业困难人员社保补贴"),
    "employment.flexible_subsidy_amount": Phrase("", follows=True),
    "employment.stabilisation_refund": Phrase("发放失业保险稳岗返还资金"),
    "employment.stabilisation_firms": Phrase("惠及{}企业", joins=","),
    "employment.stabilisation_workers": Phrase("", follows=True),
    # (一)6
    "employment.returned_workers": Phrase("潜江籍外出务工人员回潜就业创业", approx=Approx("约", 1000)),
    "employment.guangdong_firms_visited": Phrase("走访{}在粤潜江籍企业"),
    "employment.guangdong_meetings": Phrase("召开{}交流座谈会", joins=","),
    # (二)1
    "social_insurance.pension_insured": Phrase("全市养老保险参保", unit="万人", scale=W, places=2),
    "social_insurance.injury_insured": Phrase("工伤保险", joins="、", unit="万人", scale=W, places=2),
    "social_insurance.unemployment_insured": Phrase("失业保险", joins="、", unit="万人", scale=W, places=2),
    "social_insurance.flexible_new_insured": Phrase("新增灵活从业人员参保", rate_label="完成率"),
    "social_insurance.pension_payouts": Phrase("发放养老保险退休待遇", unit="亿元", scale=W, places=2),
    "social_insurance.injury_benefits": Phrase("工伤待遇", joins=","),
    "social_insurance.land_projects": Phrase("为{}项目"),
    "social_insurance.land_people": Phrase("{}进行被征地农民养老保险资金测算", follows=True),
    "social_insurance.land_compensation": Phrase("涉及补偿资金", joins=",", unit="亿元", scale=W, places=2),
    "social_insurance.physical_cards": Phrase("制发社会保障卡三代卡", unit="万张", scale=W, places=2),
    "social_insurance.physical_cards_total": Phrase("累计制发", joins=",", unit="万张", scale=W, places=2),
    "social_insurance.ecards_applied": Phrase("申领电子社保卡", unit="万张", scale=W, places=2),
    "social_insurance.ecard_issued": Phrase("签发电子社保卡", unit="万张", scale=W, places=2),
    "social_insurance.resident_population": Phrase("常住人口", omit=True),
    "social_insurance.ecard_coverage": Phrase("占常住人口数的", joins=",", target_words="覆盖率"),
    # (二)2
    "social_insurance.fee_relief_employers": Phrase("为{}参保单位减少社保费支出"),
    "social_insurance.fee_relief_amount": Phrase("", follows=True),
    "social_insurance.arrears_institutions": Phrase("对全市{}事业单位催缴养老保险欠费"),
    "social_insurance.arrears_collected": Phrase(
        "", follows=True, unit="亿元", scale=W, places=2, rate_label="完成率"
    ),
    "social_insurance.resident_premiums": Phrase("城乡居民养老保险征保费"),
    "social_insurance.resident_contribution_avg": Phrase("人均缴费额提高至", joins=","),
    "social_insurance.resident_benefit_level": Phrase("待遇水平提高至", joins=","),
    "social_insurance.silent_certification_rate": Phrase("领取养老金资格静默认证率达"),
    # (三)1
    "talent.recruitment_plans": Phrase("全市共批复事业单位公开招聘计划"),
    "talent.recruitment_applicants": Phrase("共吸引{}考生报考", joins=","),
    "talent.recruitment_hired": Phrase("最终{}优秀人才顺利入职", joins=","),
    "talent.campus_universities": Phrase("赴省内外{}高校开展校园招聘"),
    "talent.campus_applicants": Phrase("累计接受{}报名", joins=","),
    "talent.campus_signed": Phrase("现场签约高校毕业生", joins=","),
    "talent.campus_masters": Phrase("其中硕士研究生", joins=","),
    "talent.campus_first_tier": Phrase("一本", joins="、"),
    "talent.all_posts_published": Phrase("发布各类招聘岗位计划"),
    "talent.all_staff_recruited": Phrase("招聘事业单位工作人员", joins=","),
    "talent.sanzhi_yifu": Phrase("招募{}“三支一扶”毕业生"),
    # (三)2
    "talent.new_certification_bodies": Phrase("新增{}等级认定备案机构"),
    "talent.skill_certificates": Phrase("新增职业资格证书或职业技能等级证书"),
    "talent.senior_workers": Phrase("其中高级工", joins=","),
    "talent.technicians": Phrase("技师", joins="、"),
    # (三)3
    "talent.provincial_contestants": Phrase("选拔{}选手参加湖北省职业技能大赛"),
    # (四)2
    "labor_relations.dispute_cases": Phrase("共办理劳动人事争议案件", unit="起"),
    "labor_relations.cases_closed": Phrase("结案", omit=True),
    "labor_relations.cases_mediated": Phrase("调解结案", omit=True),
    "labor_relations.closed_on_time": Phrase("审限内结案", omit=True),
    "labor_relations.closure_rate_at_term": Phrase("到期结案率", joins=","),
    "labor_relations.mediation_rate": Phrase("调解率", joins=","),
    "labor_relations.arbitration_closed": Phrase("仲裁结案", omit=True),
    "labor_relations.arbitration_final": Phrase("仲裁终结结案", omit=True),
    "labor_relations.arbitration_finality_rate": Phrase("仲裁终结率为", joins=","),
    "labor_relations.inspection_complaints": Phrase("接待劳动监察投诉举报", approx=Approx("余", 100)),
    "labor_relations.arrears_leads": Phrase("处置全国欠薪平台线索", joins=","),
    "labor_relations.inspection_cases": Phrase("办理各类案件", joins=","),
    "labor_relations.arrears_workers": Phrase("为{}劳动者追发工资待遇", joins=","),
    "labor_relations.wages_recovered": Phrase("", follows=True),
    "labor_relations.police_referrals": Phrase("以拒不支付劳动报酬罪移送公安机关", joins=","),
    "labor_relations.court_enforcements": Phrase("申请法院强制执行", joins=","),
    # (四)3
    "labor_relations.campaign_employers": Phrase("专项行动检查用人单位"),
    "labor_relations.campaign_hr_agencies": Phrase("人力资源服务机构", joins="、"),
    "labor_relations.campaign_dispatch_firms": Phrase("劳务派遣公司", joins="、"),
    "labor_relations.anxin_projects": Phrase("安薪行动巡查在建项目"),
    "labor_relations.anxin_cases": Phrase("查处工程建设领域欠薪案件", joins=","),
    "labor_relations.anxin_workers": Phrase("为{}农民工追讨工资", joins=","),
    "labor_relations.anxin_amount": Phrase("", follows=True),
    "labor_relations.anxin_standard_projects": Phrase("选树“标准化安薪项目”", joins=","),
    "labor_relations.winter_employers": Phrase("冬季行动检查各类用人单位"),
    "labor_relations.winter_projects": Phrase("在建项目", joins="、"),
    "labor_relations.winter_workers": Phrase(
        "涉及劳动者", joins=",", unit="万人", scale=W, scale_small=True, places=4
    ),
    "labor_relations.winter_risks": Phrase("化解欠薪隐患", joins=","),
    "labor_relations.winter_paid_workers": Phrase("为{}劳动者追发工资待遇", joins=","),
    "labor_relations.winter_paid_amount": Phrase("", follows=True),
    # (四)4
    "labor_relations.credit_files": Phrase("生成年度诚信评价档案"),
    "labor_relations.credit_reports": Phrase(
        "为企业开具诚信等级评价报告", joins=",", approx=Approx("余", 10)
    ),
    "labor_relations.penalties_published": Phrase("向湖北省社会信用信息服务平台推送行政处罚信息"),
    "labor_relations.cases_made_public": Phrase("通过政府门户网站公布重大劳动保障违法行为案例", joins=","),
    "labor_relations.blacklisted": Phrase("列入拖欠农民工工资失信联合惩戒对象名单"),
}


@dataclass(frozen=True)
class Item:
    """A numbered item of a section: its title and the indicators it states, in order; `closing` is the
    judgement written after them when every rated one is on or ahead of schedule. An item with no
    indicators is the bureau's prose alone (劳务品牌, 争议处置机制): it keeps its number."""

    title: str
    codes: tuple[str, ...]
    closing: str = ""


@dataclass(frozen=True)
class Section:
    ordinal: str  # (一)
    title: str
    area: str  # the area whose indicators the outline does not name are written here
    items: tuple[Item, ...] = field(default_factory=tuple)

    @property
    def heading(self) -> str:
        return f"{self.ordinal}{self.title}"


OUTLINE: tuple[Section, ...] = (
    Section("(一)", "牢牢把握就业优先,推进高质量充分就业", "employment", (
        Item("强化指标落实,筑牢高质量就业发展“坚实路”", (
            "employment.urban_new_jobs", "employment.unemployed_reemployed", "employment.hardship_reemployed",
            "employment.graduates_employed", "employment.returnee_startups", "employment.returnee_jobs_created",
            "employment.guarantee_loans", "employment.guarantee_loan_amount", "employment.skills_training",
        ), closing="各项指标数据均超额完成时序任务"),
        Item("构建网络矩阵,打造精准就业服务“新模式”", (
            "employment.gig_hubs", "employment.gig_branches", "employment.gig_micro_stations",
            "employment.gig_village_points", "employment.gig_services", "employment.gig_registrations",
            "employment.gig_job_postings", "employment.gig_consultations", "employment.gig_placements",
            "employment.smart_employers", "employment.smart_services", "employment.smart_job_pushes",
        )),
        Item("推动质效攀升,开启多元职业进阶“新航道”", (
            "employment.syb_classes", "employment.prison_trainees", "employment.brand_trainees",
        )),
        Item("落实政策保障,夯实就业民生福祉“奠基石”", (
            "employment.flexible_subsidy_people", "employment.flexible_subsidy_amount",
            "employment.stabilisation_refund", "employment.stabilisation_firms", "employment.stabilisation_workers",
        )),
        Item("做优劳务品牌,绘就地方经济腾飞“新蓝图”", ()),
        Item("深化劳务协作,助推劳务输入跑出“加速度”", (
            "employment.returned_workers", "employment.guangdong_firms_visited", "employment.guangdong_meetings",
        )),
    )),
    Section("(二)", "牢牢把握民生福祉,健全多层次社保体系", "social_insurance", (
        Item("社会保险持续扩面提效", (
            "social_insurance.pension_insured", "social_insurance.injury_insured",
            "social_insurance.unemployment_insured", "social_insurance.flexible_new_insured",
            "social_insurance.pension_payouts", "social_insurance.injury_benefits", "social_insurance.land_projects",
            "social_insurance.land_people", "social_insurance.land_compensation", "social_insurance.physical_cards",
            "social_insurance.physical_cards_total", "social_insurance.ecards_applied",
            "social_insurance.ecard_issued", "social_insurance.resident_population", "social_insurance.ecard_coverage",
        )),
        Item("民生温度得到切实提升", (
            "social_insurance.fee_relief_employers", "social_insurance.fee_relief_amount",
            "social_insurance.arrears_institutions", "social_insurance.arrears_collected",
            "social_insurance.resident_premiums", "social_insurance.resident_contribution_avg",
            "social_insurance.resident_benefit_level", "social_insurance.silent_certification_rate",
        )),
    )),
    Section("(三)", "牢牢把握人才保障,培育高素质人力资源", "talent", (
        Item("多元引才成效显著", (
            "talent.recruitment_plans", "talent.recruitment_applicants", "talent.recruitment_hired",
            "talent.campus_universities", "talent.campus_applicants", "talent.campus_signed",
            "talent.campus_masters", "talent.campus_first_tier", "talent.all_posts_published",
            "talent.all_staff_recruited", "talent.sanzhi_yifu",
        )),
        Item("技能人才评价改革成功推进", (
            "talent.new_certification_bodies", "talent.skill_certificates", "talent.senior_workers",
            "talent.technicians",
        )),
        Item("职业技能竞赛体系逐步完善", ("talent.provincial_contestants",)),
    )),
    Section("(四)", "牢牢把握和谐同行,构建新时代劳动关系", "labor_relations", (
        Item("探索创新争议处置机制", ()),
        Item("不断强化监察执法力度", (
            "labor_relations.dispute_cases", "labor_relations.cases_closed", "labor_relations.cases_mediated",
            "labor_relations.closed_on_time", "labor_relations.closure_rate_at_term",
            "labor_relations.mediation_rate", "labor_relations.arbitration_closed",
            "labor_relations.arbitration_final", "labor_relations.arbitration_finality_rate",
            "labor_relations.inspection_complaints", "labor_relations.arrears_leads",
            "labor_relations.inspection_cases", "labor_relations.arrears_workers",
            "labor_relations.wages_recovered", "labor_relations.police_referrals",
            "labor_relations.court_enforcements",
        )),
        Item("持续开展各类专项治理", (
            "labor_relations.campaign_employers", "labor_relations.campaign_hr_agencies",
            "labor_relations.campaign_dispatch_firms", "labor_relations.anxin_projects",
            "labor_relations.anxin_cases", "labor_relations.anxin_workers", "labor_relations.anxin_amount",
            "labor_relations.anxin_standard_projects", "labor_relations.winter_employers",
            "labor_relations.winter_projects", "labor_relations.winter_workers", "labor_relations.winter_risks",
            "labor_relations.winter_paid_workers", "labor_relations.winter_paid_amount",
        )),
        Item("建立健全诚信公示体系", (
            "labor_relations.credit_files", "labor_relations.credit_reports", "labor_relations.penalties_published",
            "labor_relations.cases_made_public", "labor_relations.blacklisted",
        )),
    )),
)  # fmt: skip
# An item for the indicators of an area the outline does not name (added by the bureau since).
OTHERS_TITLE = "其他指标"
