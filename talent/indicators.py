"""Talent indicators. 高级工 and 技师 are "其中" parts of the certificates row."""

from indicators.catalog import FLOW, IndicatorSpec

INDICATORS = [
    IndicatorSpec(
        "talent.skill_certificates", "新增职业资格证书或职业技能等级证书人数", "人", FLOW, rate_places=0
    ),
    IndicatorSpec(
        "talent.senior_workers", "其中:高级工", "人", FLOW, rate_places=0, parent="talent.skill_certificates"
    ),
    IndicatorSpec(
        "talent.technicians", "其中:技师", "人", FLOW, rate_places=0, parent="talent.skill_certificates"
    ),
    # Recruitment (三)1: public recruitment and campus recruitment from their registers.
    IndicatorSpec(
        "talent.recruitment_plans",
        "事业单位公开招聘批复计划",
        "个",
        FLOW,
        township_reported=False,
        description="由事业单位公开招聘计划台账汇总:按批复日期计入的招聘计划数。",
    ),
    IndicatorSpec(
        "talent.recruitment_applicants", "事业单位公开招聘报考人数", "名", FLOW, township_reported=False
    ),
    IndicatorSpec(
        "talent.recruitment_hired", "事业单位公开招聘入职人数", "名", FLOW, township_reported=False
    ),
    IndicatorSpec(
        "talent.campus_universities",
        "校园招聘高校",
        "所",
        FLOW,
        township_reported=False,
        description="由校园招聘台账汇总:当月举办校园招聘的高校数(同一高校一月内计一所)。",
    ),
    IndicatorSpec("talent.campus_applicants", "校园招聘报名人数", "人", FLOW, township_reported=False),
    IndicatorSpec("talent.campus_signed", "校园招聘现场签约人数", "人", FLOW, township_reported=False),
    IndicatorSpec(
        "talent.campus_masters",
        "其中:硕士研究生",
        "人",
        FLOW,
        township_reported=False,
        parent="talent.campus_signed",
    ),
    IndicatorSpec(
        "talent.campus_first_tier",
        "其中:一本",
        "人",
        FLOW,
        township_reported=False,
        parent="talent.campus_signed",
    ),
    IndicatorSpec("talent.all_posts_published", "全年发布招聘岗位计划", "个", FLOW, township_reported=False),
    IndicatorSpec(
        "talent.all_staff_recruited", "全年招聘事业单位工作人员", "人", FLOW, township_reported=False
    ),
    IndicatorSpec("talent.sanzhi_yifu", "三支一扶招募人数", "名", FLOW, township_reported=False),
    # Skills (三)2–3.
    IndicatorSpec(
        "talent.new_certification_bodies",
        "新增等级认定备案机构",
        "家",
        FLOW,
        township_reported=False,
        description="由评价机构台账汇总:按备案(认定)日期计入。",
    ),
    IndicatorSpec(
        "talent.provincial_contestants", "参加省级职业技能大赛选手", "名", FLOW, township_reported=False
    ),
]
