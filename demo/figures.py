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
}

# Year-end levels of stock indicators (city level), and where January starts from.
CITY_STOCKS = {
    "social_insurance.pension_insured": (D(542300), D(551600)),
    "social_insurance.injury_insured": (D(55100), D(56900)),
    "social_insurance.unemployment_insured": (D(48600), D(50000)),
    # 60.42万张 of 85.6万 residents = 70.58%.
    "social_insurance.ecard_issued": (D(541500), D(604200)),
    "social_insurance.resident_population": (D(856000), D(856000)),
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
}

# Share of a year's flow in each month (per cent): quiet around the Spring Festival, busy in spring
# recruitment and at graduation.
MONTH_PROFILE = [5, 7, 11, 9, 8, 9, 10, 8, 9, 8, 8, 8]
