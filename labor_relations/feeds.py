"""Which indicator values the labour-relations registers produce, from which records, by which date.

Dispute cases count where the case is registered (the arbitration commission is 市本级, the city org
unit; a township mediation centre may register its own): received cases by the received date, closings
by the closed date. Wage-arrears cases feed the amount recovered, by the date the case was closed."""

from django.db.models import Count, F, Q, Sum

from common.db import DecimalSum
from indicators.feeds import Feed

from .models import DisputeCase

DISPUTES = "劳动人事争议案件台账"
WAGE_ARREARS = "欠薪案件台账"
CAMPAIGN = Q(source="campaign")

AT_ARBITRATION = Q(stage=DisputeCase.Stage.ARBITRATION)
# Ended for good at arbitration: a mediation statement or a final award (see models.py).
ENDED_AT_ARBITRATION = AT_ARBITRATION & (Q(closed_how=DisputeCase.Closing.MEDIATED) | Q(final_award=True))

FEEDS = [
    Feed(
        register=DISPUTES,
        model="labor_relations.DisputeCase",
        date_field="received_on",
        values={"labor_relations.dispute_cases": Count("id")},
    ),
    Feed(
        register=DISPUTES,
        model="labor_relations.DisputeCase",
        date_field="closed_on",
        filter=Q(closed_on__isnull=False),
        values={
            "labor_relations.cases_closed": Count("id"),
            "labor_relations.cases_mediated": Count("id", filter=Q(closed_how=DisputeCase.Closing.MEDIATED)),
            "labor_relations.closed_on_time": Count("id", filter=Q(closed_on__lte=F("deadline_on"))),
            "labor_relations.arbitration_closed": Count("id", filter=AT_ARBITRATION),
            "labor_relations.arbitration_final": Count("id", filter=ENDED_AT_ARBITRATION),
        },
    ),
    Feed(
        register=WAGE_ARREARS,
        model="labor_relations.WageArrearsCase",
        date_field="closed_on",
        filter=Q(closed_on__isnull=False),
        # 元 → 万元 in Python (in SQL, SQLite divided a month of whole-元 amounts as integers); the
        # indicator keeps 4 places (whole 元), so a month's cents are rounded half up.
        values={
            "labor_relations.wages_recovered": DecimalSum("amount_recovered"),
            "labor_relations.inspection_cases": Count("id"),
            "labor_relations.arrears_workers": Sum("workers"),
            "labor_relations.police_referrals": Count("id", filter=Q(referred_to_police=True)),
            "labor_relations.court_enforcements": Count("id", filter=Q(court_enforcement=True)),
            # 安薪行动: the cases the campaign brought, a share of the same register.
            "labor_relations.anxin_cases": Count("id", filter=CAMPAIGN),
            "labor_relations.anxin_workers": Sum("workers", filter=CAMPAIGN),
            "labor_relations.anxin_amount": DecimalSum("amount_recovered", filter=CAMPAIGN),
        },
        divide_by={"labor_relations.wages_recovered": 10000, "labor_relations.anxin_amount": 10000},
        places={"labor_relations.wages_recovered": 4, "labor_relations.anxin_amount": 4},
    ),
    Feed(
        register="劳动监察投诉举报",
        model="labor_relations.InspectionComplaint",
        date_field="received_on",
        values={"labor_relations.inspection_complaints": Count("id")},
    ),
    Feed(
        register="欠薪线索",
        model="labor_relations.WageArrearsLead",
        date_field="handled_on",
        filter=Q(handled_on__isnull=False),
        values={"labor_relations.arrears_leads": Count("id")},
    ),
    Feed(
        register="守法诚信等级评价",
        model="labor_relations.CreditRating",
        date_field="rated_on",
        values={"labor_relations.credit_files": Count("id")},
    ),
    Feed(
        register="守法诚信等级评价",
        model="labor_relations.CreditRating",
        date_field="report_issued_on",
        filter=Q(report_issued_on__isnull=False),
        values={"labor_relations.credit_reports": Count("id")},
    ),
    Feed(
        register="失信联合惩戒名单",
        model="labor_relations.BlacklistEntry",
        date_field="listed_on",
        values={"labor_relations.blacklisted": Count("id")},
    ),
]
