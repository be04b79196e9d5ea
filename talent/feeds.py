"""Which indicators the talent registers produce, from which records, in which month.

- 职业技能等级证书发放登记 → talent.skill_certificates (certificates issued) and its "其中" parts,
  talent.senior_workers (高级工) and talent.technicians (技师), in the month of the issue date, at the
  holder's township. The parts are counted from the same records as the whole, so they never exceed it.

- 事业单位公开招聘计划 → the plans approved, their applicants and hires, in the month of approval.
- 校园招聘 → the universities visited (one a month however many events), applicants, signings and their
  "其中" parts (硕士, 一本), in the month of the event.
- 评价机构 → the certification bodies recognised, at the city (the register is the city's own).

The competition register feeds no indicator: its figures are the register's own (talent.selectors)."""

from django.db.models import Count, Q, Sum

from indicators.feeds import Feed

from .models import SkillLevel

FEEDS = [
    Feed(
        register="职业技能等级证书发放登记",
        model="talent.SkillCertificate",
        date_field="issued_on",
        values={
            "talent.skill_certificates": Count("id"),
            "talent.senior_workers": Count("id", filter=Q(level=SkillLevel.SENIOR)),
            "talent.technicians": Count("id", filter=Q(level=SkillLevel.TECHNICIAN)),
        },
    ),
    Feed(
        register="事业单位公开招聘计划",
        model="talent.RecruitmentPlan",
        date_field="approved_on",
        values={
            "talent.recruitment_plans": Count("id"),
            "talent.recruitment_applicants": Sum("applicants"),
            "talent.recruitment_hired": Sum("hired"),
        },
    ),
    Feed(
        register="校园招聘",
        model="talent.CampusRecruitment",
        date_field="held_on",
        values={
            "talent.campus_universities": Count("university", distinct=True),
            "talent.campus_applicants": Sum("applicants"),
            "talent.campus_signed": Sum("signed"),
            "talent.campus_masters": Sum("masters"),
            "talent.campus_first_tier": Sum("first_tier"),
        },
    ),
    Feed(
        register="评价机构",
        model="talent.CertificationBody",
        date_field="recognised_on",
        org_field=None,
        values={"talent.new_certification_bodies": Count("id")},
    ),
]
