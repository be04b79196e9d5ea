"""Which indicators the social insurance registers produce, from which records, in which month.

- 参保人数月报 → the insured counts by type (养老, 工伤, 失业): month-end levels, each type's count is the
  stock figure for that month.
- 社保卡发放登记 → social_insurance.ecard_issued: e-cards signed so far, a running total over every month
  up to this one (the 期初 opening record included).

- 社保卡发放登记 also gives the cards of each month (三代卡 issued, 电子社保卡 signed: the year's figures) and
  the 三代卡 issued so far (a running total like the e-cards).
- 被征地农民养老保险资金测算 → the projects estimated, their farmers and the compensation, by estimate date."""

from django.db.models import Count, Q, Sum

from common.db import DecimalSum
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
        values={
            "social_insurance.ecard_issued": Sum("ecards_signed"),
            "social_insurance.physical_cards_total": Sum("physical_cards"),
        },
        cumulative=True,
    ),
    Feed(
        register="社保卡发放登记",
        model="social_insurance.CardIssuance",
        period_fields=("year", "month"),
        values={
            "social_insurance.physical_cards": Sum("physical_cards"),
            "social_insurance.ecards_applied": Sum("ecards_signed"),
        },
    ),
    Feed(
        register="被征地农民养老保险资金测算",
        model="social_insurance.LandRequisitionEstimate",
        date_field="estimated_on",
        values={
            "social_insurance.land_projects": Count("id"),
            "social_insurance.land_people": Sum("people"),
            "social_insurance.land_compensation": DecimalSum("amount"),
        },
        places={"social_insurance.land_compensation": 2},
    ),
]
