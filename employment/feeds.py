"""Which indicators the employment registers produce, from which records, in which month.

- 创业担保贷款台账 → employment.guarantee_loans (loans issued) and employment.guarantee_loan_amount
  (their amount, 万元), in the month of the issue date, at the loan's township.
- 职业技能培训台账 → employment.skills_training (trainees), in the month the class ENDS: a class counts
  once it has finished, so a class running from November into January counts in January. Every
  trainee enrolled counts (培训人数), as the report's 6,706 does, not only those who completed.
- 返乡创业台账 → employment.returnee_startups (start-ups) and employment.returnee_jobs_created (the jobs
  they created), in the month the business started.

- 零工驿站台账 → the stations in operation by level (总站, 行业分站, 区镇街道微站, 村级微站): a running count of
  the stations opened up to each month's end, at the station's org unit.
- 零工驿站服务月报 → what the stations did (services, registrations, postings, consultations,
  placements), as running totals since the network began: the report's 累计 figures.
- 职业技能培训台账 also gives the SYB classes held and the prison and labour-brand trainees (by type)."""

from django.db.models import Count, Q, Sum

from common.db import DecimalSum
from indicators.feeds import Feed

GUARANTEE_LOANS = Feed(
    register="创业担保贷款台账",
    model="employment.GuaranteeLoan",
    date_field="issued_on",
    values={
        "employment.guarantee_loans": Count("id"),
        "employment.guarantee_loan_amount": DecimalSum("amount"),
    },
    places={"employment.guarantee_loan_amount": 4},
)

BRAND_TYPES = ["lobster", "sewing"]  # the 劳务品牌 courses: 潜江龙虾工, 潜江裁缝

TRAINING_CLASSES = Feed(
    register="职业技能培训台账",
    model="employment.TrainingClass",
    date_field="end_on",
    values={
        "employment.skills_training": Sum("trainees"),
        "employment.syb_classes": Count("id", filter=Q(training_type="syb")),
        "employment.prison_trainees": Sum("trainees", filter=Q(training_type="prison")),
        "employment.brand_trainees": Sum("trainees", filter=Q(training_type__in=BRAND_TYPES)),
    },
)

GIG_STATIONS = Feed(
    register="零工驿站台账",
    model="employment.GigStation",
    date_field="opened_on",
    filter=Q(is_active=True),
    values={
        f"employment.{code}": Count("id", filter=Q(kind=kind))
        for code, kind in (
            ("gig_hubs", "hub"),
            ("gig_branches", "branch"),
            ("gig_micro_stations", "township"),
            ("gig_village_points", "village"),
        )
    },
    cumulative=True,
)

GIG_STATION_MONTHS = Feed(
    register="零工驿站服务月报",
    model="employment.GigStationMonth",
    period_fields=("year", "month"),
    org_field="station__org_unit",
    values={
        "employment.gig_services": Sum("services"),
        "employment.gig_registrations": Sum("registrations"),
        "employment.gig_job_postings": Sum("job_postings"),
        "employment.gig_consultations": Sum("consultations"),
        "employment.gig_placements": Sum("placements"),
    },
    cumulative=True,
)

RETURNEE_STARTUPS = Feed(
    register="返乡创业台账",
    model="employment.ReturneeStartup",
    date_field="started_on",
    values={
        "employment.returnee_startups": Count("id"),
        "employment.returnee_jobs_created": Sum("jobs_created"),
    },
)

FEEDS = [GUARANTEE_LOANS, TRAINING_CLASSES, RETURNEE_STARTUPS, GIG_STATIONS, GIG_STATION_MONTHS]
