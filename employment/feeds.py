"""Which indicators the employment registers produce, from which records, in which month.

- 创业担保贷款台账 → employment.guarantee_loans (loans issued) and employment.guarantee_loan_amount
  (their amount, 万元), in the month of the issue date, at the loan's township.
- 职业技能培训台账 → employment.skills_training (trainees), in the month the class ENDS: a class counts
  once it has finished, so a class running from November into January counts in January. Every
  trainee enrolled counts (培训人数), as the report's 6,706 does, not only those who completed.
- 返乡创业台账 → employment.returnee_startups (start-ups) and employment.returnee_jobs_created (the jobs
  they created), in the month the business started.

The gig-work station counts feed no indicator: the report gives them as the network's own figures."""

from django.db.models import Count, Sum

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

TRAINING_CLASSES = Feed(
    register="职业技能培训台账",
    model="employment.TrainingClass",
    date_field="end_on",
    values={"employment.skills_training": Sum("trainees")},
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

FEEDS = [GUARANTEE_LOANS, TRAINING_CLASSES, RETURNEE_STARTUPS]
