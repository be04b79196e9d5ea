"""Which indicators the social insurance registers produce, from which records, in which month.

- 参保人数月报 → the insured counts by type (养老, 工伤, 失业): month-end levels, each type's count is the
  stock figure for that month.
- 社保卡发放登记 → social_insurance.ecard_issued: e-cards signed so far, a running total over every month
  up to this one (the 期初 opening record included).

The physical cards issued feed no indicator: the report gives them as the register's own figure."""

from django.db.models import Q, Sum

from indicators.feeds import Feed

from .models import InsuranceType

INSURED = {
    "social_insurance.pension_insured": InsuranceType.PENSION,
    "social_insurance.injury_insured": InsuranceType.INJURY,
    "social_insurance.unemployment_insured": InsuranceType.UNEMPLOYMENT,
}

FEEDS = [
    Feed(
        register="参保人数月报",
        model="social_insurance.InsuredCount",
        period_fields=("year", "month"),
        values={code: Sum("insured", filter=Q(insurance_type=kind)) for code, kind in INSURED.items()},
    ),
    Feed(
        register="社保卡发放登记",
        model="social_insurance.CardIssuance",
        period_fields=("year", "month"),
        values={"social_insurance.ecard_issued": Sum("ecards_signed")},
        cumulative=True,
    ),
]
