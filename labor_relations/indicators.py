"""Labour relations indicators. The rates are ratios of case counts kept by the arbitration
commission at city level (市本级), so townships do not report them. The case counts and the wage
amount are fed by the registers (labor_relations/feeds.py); see labor_relations/models.py for how
the mediation rate and the arbitration finality rate read the dispute-case register."""

from indicators.catalog import FLOW, RATIO, IndicatorSpec

CITY = {"township_reported": False}

INDICATORS = [
    IndicatorSpec("labor_relations.dispute_cases", "劳动人事争议案件受理数", "件", FLOW, **CITY),
    IndicatorSpec("labor_relations.cases_closed", "劳动人事争议案件结案数", "件", FLOW, **CITY),
    IndicatorSpec(
        "labor_relations.cases_mediated",
        "其中:调解结案数",
        "件",
        FLOW,
        parent="labor_relations.cases_closed",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.mediation_rate",
        "劳动人事争议调解率",
        "%",
        RATIO,
        rate_places=2,
        numerator="labor_relations.cases_mediated",
        denominator="labor_relations.cases_closed",
        description="调解结案数(含仲裁前调解和仲裁调解) ÷ 结案数",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.closed_on_time",
        "其中:审限内结案数",
        "件",
        FLOW,
        parent="labor_relations.cases_closed",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.closure_rate_at_term",
        "结案率(审限内)",
        "%",
        RATIO,
        rate_places=2,
        numerator="labor_relations.closed_on_time",
        denominator="labor_relations.cases_closed",
        description="审限届满日当日或之前结案的案件数 ÷ 结案数",
        **CITY,
    ),
    IndicatorSpec("labor_relations.arbitration_closed", "仲裁结案数", "件", FLOW, **CITY),
    IndicatorSpec(
        "labor_relations.arbitration_final",
        "其中:仲裁终结结案数(仲裁调解、终局裁决)",
        "件",
        FLOW,
        parent="labor_relations.arbitration_closed",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.arbitration_finality_rate",
        "仲裁终结率",
        "%",
        RATIO,
        rate_places=2,
        numerator="labor_relations.arbitration_final",
        denominator="labor_relations.arbitration_closed",
        description="仲裁阶段以调解书或终局裁决书结案的案件数 ÷ 仲裁立案审理阶段结案数",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.wages_recovered", "追发工资待遇金额", "万元", FLOW, value_places=4, **CITY
    ),
    # Labour inspection (四)2, from the complaint, lead and case registers.
    IndicatorSpec(
        "labor_relations.inspection_complaints",
        "劳动监察投诉举报接待",
        "人次",
        FLOW,
        **CITY,
        description="由劳动监察投诉举报台账汇总:按接待日期计入。",
    ),
    IndicatorSpec(
        "labor_relations.arrears_leads",
        "处置全国欠薪平台线索",
        "条",
        FLOW,
        **CITY,
        description="由欠薪线索台账汇总:按办结日期计入。",
    ),
    IndicatorSpec(
        "labor_relations.inspection_cases",
        "劳动监察办理案件",
        "件",
        FLOW,
        **CITY,
        description="由欠薪案件台账汇总:按结案日期计入。",
    ),
    IndicatorSpec(
        "labor_relations.arrears_workers",
        "追发工资待遇劳动者",
        "名",
        FLOW,
        **CITY,
        description="由欠薪案件台账汇总:结案案件涉及的劳动者人数。",
    ),
    IndicatorSpec("labor_relations.police_referrals", "以拒不支付劳动报酬罪移送公安机关", "件", FLOW, **CITY),
    IndicatorSpec("labor_relations.court_enforcements", "申请法院强制执行", "件", FLOW, **CITY),
    # Campaigns (四)3: the 安薪行动 cases from the case register, the rest entered by the bureau.
    IndicatorSpec("labor_relations.campaign_employers", "专项行动检查用人单位", "家", FLOW, **CITY),
    IndicatorSpec("labor_relations.campaign_hr_agencies", "专项行动检查人力资源服务机构", "家", FLOW, **CITY),
    IndicatorSpec("labor_relations.campaign_dispatch_firms", "专项行动检查劳务派遣公司", "家", FLOW, **CITY),
    IndicatorSpec("labor_relations.anxin_projects", "安薪行动巡查在建项目", "个", FLOW, **CITY),
    IndicatorSpec(
        "labor_relations.anxin_cases",
        "安薪行动查处欠薪案件",
        "个",
        FLOW,
        **CITY,
        description="由欠薪案件台账汇总:来源为专项行动的结案案件。",
    ),
    IndicatorSpec("labor_relations.anxin_workers", "安薪行动追讨工资农民工", "位", FLOW, **CITY),
    IndicatorSpec(
        "labor_relations.anxin_amount", "安薪行动追讨工资金额", "万元", FLOW, value_places=4, **CITY
    ),
    IndicatorSpec("labor_relations.anxin_standard_projects", "标准化安薪项目", "个", FLOW, **CITY),
    IndicatorSpec("labor_relations.winter_employers", "冬季行动检查用人单位", "家", FLOW, **CITY),
    IndicatorSpec("labor_relations.winter_projects", "冬季行动检查在建项目", "个", FLOW, **CITY),
    IndicatorSpec("labor_relations.winter_workers", "冬季行动涉及劳动者", "人", FLOW, **CITY),
    IndicatorSpec("labor_relations.winter_risks", "冬季行动化解欠薪隐患", "起", FLOW, **CITY),
    IndicatorSpec("labor_relations.winter_paid_workers", "冬季行动追发工资待遇劳动者", "名", FLOW, **CITY),
    IndicatorSpec(
        "labor_relations.winter_paid_amount", "冬季行动追发工资待遇金额", "万元", FLOW, value_places=4, **CITY
    ),
    # Credit (四)4, from the rating register and the blacklist; what was published, entered.
    IndicatorSpec(
        "labor_relations.credit_files",
        "年度诚信评价档案",
        "份",
        FLOW,
        **CITY,
        description="由守法诚信等级评价台账汇总:按档案生成日期计入。",
    ),
    IndicatorSpec(
        "labor_relations.credit_reports",
        "诚信等级评价报告",
        "份",
        FLOW,
        **CITY,
        description="由守法诚信等级评价台账汇总:按开具评价报告日期计入。",
    ),
    IndicatorSpec("labor_relations.penalties_published", "推送行政处罚信息", "条", FLOW, **CITY),
    IndicatorSpec("labor_relations.cases_made_public", "公布重大劳动保障违法行为案例", "起", FLOW, **CITY),
    IndicatorSpec(
        "labor_relations.blacklisted",
        "拖欠农民工工资失信联合惩戒对象",
        "家",
        FLOW,
        **CITY,
        description="由失信联合惩戒名单汇总:按列入日期计入。",
    ),
]
