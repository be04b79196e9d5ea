"""The bureau's 2024 report, as data: the 23 townships, the provincial quotas and the year's figures
(`../shared/DOMAIN.md`, from the report in `../shared/seed/`)."""

from decimal import Decimal as D

YEAR = 2024

# Provincial quotas for the city (省级下达指标). quota = actual ÷ the report's rate, rounded.
CITY_QUOTAS = {
    "employment.urban_new_jobs": D(7000),
    "employment.unemployed_reemployed": D(2100),
    "employment.hardship_reemployed": D(1200),
    "employment.graduates_employed": D(1200),
    "employment.returnee_startups": D(800),
    "employment.skills_training": D(4320),
    "social_insurance.flexible_new_insured": D(1900),
    "social_insurance.ecard_coverage": D(66),
    "talent.skill_certificates": D(2000),
    "talent.senior_workers": D(600),
    "talent.technicians": D(60),
    # 机关养老保险欠费清缴: 2.37亿元 collected, 99% of the task (2.394亿元).
    "social_insurance.arrears_collected": D(23940),
}

# Year totals of flow indicators, reported month by month by the townships.
TOWNSHIP_FLOWS = {
    "employment.urban_new_jobs": D(12367),
    "employment.unemployed_reemployed": D(5698),
    "employment.hardship_reemployed": D(2908),
    "employment.graduates_employed": D(1943),
    "employment.returnee_startups": D(853),
    "employment.returnee_jobs_created": D(2519),
    "employment.skills_training": D(6706),
    "social_insurance.flexible_new_insured": D(2568),
    "talent.skill_certificates": D(2244),
    "talent.senior_workers": D(1159),
    "talent.technicians": D(83),
    # 全年约1.1万潜江籍外出务工人员先后回潜就业创业 (written 约1.1万 from 10,986).
    "employment.returned_workers": D(10986),
}

# Year totals of flow indicators the bureau itself enters at city level (市本级).
CITY_FLOWS = {
    "employment.guarantee_loans": D(1440),
    "employment.guarantee_loan_amount": D(39000),  # 3.9亿元 = 39,000万元
    "labor_relations.dispute_cases": D(508),
    # Mediation rate 91.51% = 442 ÷ 483; arbitration finality 94.65% = 177 ÷ 187.
    "labor_relations.cases_closed": D(483),
    "labor_relations.cases_mediated": D(442),
    "labor_relations.arbitration_closed": D(187),
    "labor_relations.arbitration_final": D(177),
    "labor_relations.wages_recovered": D("1545.7482"),
    # Policy money (一)4, labour cooperation (一)6.
    "employment.flexible_subsidy_people": D(14426),
    "employment.flexible_subsidy_amount": D("938.94"),
    "employment.stabilisation_refund": D("835.46"),
    "employment.stabilisation_firms": D(1019),
    "employment.stabilisation_workers": D(31381),
    "employment.guangdong_firms_visited": D(74),
    "employment.guangdong_meetings": D(32),
    # Social insurance funds (二)1–2; 36.12亿元 = 361,200万元, 2.37亿元 = 23,700万元.
    "social_insurance.pension_payouts": D(361200),
    "social_insurance.injury_benefits": D("816.26"),
    "social_insurance.fee_relief_employers": D(2851),
    "social_insurance.fee_relief_amount": D(2674),
    "social_insurance.arrears_institutions": D(181),
    "social_insurance.arrears_collected": D(23700),
    "social_insurance.resident_premiums": D("12149.33"),
    # Talent (三)1, (三)3.
    "talent.all_posts_published": D(256),
    "talent.all_staff_recruited": D(237),
    "talent.sanzhi_yifu": D(20),
    "talent.provincial_contestants": D(8),
    # Labour inspection campaigns (四)3 and credit publicity (四)4; 0.9809万人 = 9,809 workers.
    "labor_relations.campaign_employers": D(17),
    "labor_relations.campaign_hr_agencies": D(23),
    "labor_relations.campaign_dispatch_firms": D(72),
    "labor_relations.anxin_projects": D(43),
    "labor_relations.anxin_standard_projects": D(7),
    "labor_relations.winter_employers": D(198),
    "labor_relations.winter_projects": D(40),
    "labor_relations.winter_workers": D(9809),
    "labor_relations.winter_risks": D(32),
    "labor_relations.winter_paid_workers": D(129),
    "labor_relations.winter_paid_amount": D("103.0156"),
    "labor_relations.penalties_published": D(15),
    "labor_relations.cases_made_public": D(10),
}

# Flows that happen in some months only (a campaign, a recruitment round): entered in those months,
# not reported in the others. The rest are spread over the year by MONTH_PROFILE.
CITY_FLOW_MONTHS = {
    "employment.guangdong_firms_visited": [3, 4, 9, 10],
    "employment.guangdong_meetings": [3, 4, 9, 10],
    "social_insurance.arrears_institutions": [6, 12],
    "social_insurance.arrears_collected": [6, 12],
    "talent.sanzhi_yifu": [8],
    "talent.provincial_contestants": [8],
    "labor_relations.campaign_employers": [4, 5],
    "labor_relations.campaign_hr_agencies": [4, 5],
    "labor_relations.campaign_dispatch_firms": [4, 5],
    "labor_relations.anxin_projects": [6, 7, 8, 9],
    "labor_relations.anxin_standard_projects": [9],
    "labor_relations.winter_employers": [11, 12],
    "labor_relations.winter_projects": [11, 12],
    "labor_relations.winter_workers": [11, 12],
    "labor_relations.winter_risks": [11, 12],
    "labor_relations.winter_paid_workers": [11, 12],
    "labor_relations.winter_paid_amount": [11, 12],
}

# Year-end levels of stock indicators (city level), and where January starts from.
CITY_STOCKS = {
    "social_insurance.pension_insured": (D(542300), D(551600)),
    "social_insurance.injury_insured": (D(55100), D(56900)),
    "social_insurance.unemployment_insured": (D(48600), D(50000)),
    # 60.42万张 of 85.6万 residents = 70.58%; 6.87万 of them signed in 2024 (申领电子社保卡6.87万张).
    "social_insurance.ecard_issued": (D(535500), D(604200)),
    "social_insurance.resident_population": (D(856000), D(856000)),
    # 潜江数智就业系统's counters at month end (入驻企业已达到182家,经办业务901件,精准推送岗位信息598条).
    "employment.smart_employers": (D(96), D(182)),
    "employment.smart_services": (D(0), D(901)),
    "employment.smart_job_pushes": (D(0), D(598)),
    # 城乡居民养老保险: 人均缴费额提高至678.53元, 待遇水平提高至172.97元 (the year's last figures).
    "social_insurance.resident_contribution_avg": (D("655.20"), D("678.53")),
    "social_insurance.resident_benefit_level": (D("165.40"), D("172.97")),
    "social_insurance.silent_certification_rate": (D("96.40"), D(99)),
}

# The report's completion rates at December, at the precision the report prints them.
REPORT_RATES = {
    "employment.urban_new_jobs": D("176.7"),
    "employment.unemployed_reemployed": D("271.3"),
    "employment.hardship_reemployed": D("242.3"),
    "employment.graduates_employed": D("161.9"),
    "employment.returnee_startups": D("106.6"),
    "employment.skills_training": D("155.23"),
    "social_insurance.flexible_new_insured": D("135"),
    "talent.skill_certificates": D("112"),
    "talent.senior_workers": D("193"),
    "talent.technicians": D("138"),
    "social_insurance.arrears_collected": D("99"),
}

# Share of a year's flow in each month (per cent): quiet around the Spring Festival, busy in spring
# recruitment and at graduation.
MONTH_PROFILE = [5, 7, 11, 9, 8, 9, 10, 8, 9, 8, 8, 8]
