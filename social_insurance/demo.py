"""Demo records reproducing the report's social insurance figures (all at city level, 市本级: the
insured counts and cards come from the city's own systems, not from the townships).

- Insured counts: the month-end levels demo.figures.CITY_STOCKS describes (January's start plus an
  equal step each month up to the year-end level), one record per type and month.
- Cards: one opening record dated 2023-12 (期初: everything signed or issued up to the end of 2023),
  then the year's cards spread over the months. The e-card feed is a running total, so December's
  level is 535,500 + 68,700 = 604,200 (6.87万 signed in 2024); 31.46万 physical cards in all, 7.18万 of
  them in 2024.
- Land-requisition pension estimates: 20 projects, 2,373 farmers, 1.4亿元 of compensation in 2024."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from itertools import pairwise

from demo import figures as F
from demo.making import split_exactly
from orgs.models import OrgUnit
from registers.models import Door
from registers.services import RecordsBatch, record_upsert, records_import

from .models import CardIssuance, InsuranceType, InsuredCount, LandRequisitionEstimate

DEMO_REMARK = "演示数据"
CITY_CODE = "429005"
INSURED = {
    InsuranceType.PENSION: "social_insurance.pension_insured",
    InsuranceType.INJURY: "social_insurance.injury_insured",
    InsuranceType.UNEMPLOYMENT: "social_insurance.unemployment_insured",
}
PHYSICAL_THIS_YEAR, PHYSICAL_IN_ALL = 71800, 314600
LAND_PROJECTS, LAND_PEOPLE, LAND_AMOUNT = 20, 2373, Decimal(14000)  # 1.4亿元 in 万元
LAND_PLACES = [
    "高新区",
    "江汉盐化工业园",
    "潜江经济开发区",
    "园林城区",
    "泽口港区",
    "竹根滩工业园",
    "高石碑工业园",
]


def _stock_series(code: str, year: int = F.YEAR, through_month: int = 12) -> list[int]:
    # The same series the typed demo used before these registers existed (default quantize rounding);
    # later years go on growing by the same step each month.
    start, end = F.CITY_STOCKS[code]
    before = 12 * (year - F.YEAR)
    return [
        int((start + (end - start) * (before + m) / 12).quantize(Decimal(1)))
        for m in range(1, through_month + 1)
    ]


def _insured(year: int, city: OrgUnit, through_month: int = 12, *, batch: RecordsBatch) -> int:
    for kind, code in INSURED.items():
        for month, level in enumerate(_stock_series(code, year, through_month), start=1):
            record_upsert(
                user=None,
                model=InsuredCount,
                lookup={"org_unit": city, "year": year, "month": month, "insurance_type": kind},
                values={"insured": level, "remark": DEMO_REMARK},
                door=Door.DEMO,
                batch=batch,
            )
    return through_month * len(INSURED)


def _cards_later_year(year: int, city: OrgUnit, through_month: int, *, batch: RecordsBatch) -> int:
    """A year after 2024: the years between in one record at the last December (上年合计, so the
    running total goes on from 2024's) unless the demo loaded that year's own months, then the year's
    months."""
    levels = _stock_series("social_insurance.ecard_issued", year, through_month)
    before = _stock_series("social_insurance.ecard_issued", year - 1)[-1]
    last_2024 = _stock_series("social_insurance.ecard_issued")[-1]
    ecards = [levels[0] - before] + [b - a for a, b in pairwise(levels)]
    physical = split_exactly(Decimal(PHYSICAL_THIS_YEAR), [float(p) for p in F.MONTH_PROFILE])
    rows = []
    previous_loaded = CardIssuance.objects.filter(year=year - 1, month__lt=12, remark=DEMO_REMARK).exists()
    if year - 1 > F.YEAR and not previous_loaded:
        rows.append((year - 1, 12, PHYSICAL_THIS_YEAR * (year - 1 - F.YEAR), before - last_2024, "上年合计"))
    rows += [(year, m, int(physical[m - 1]), ecards[m - 1], DEMO_REMARK) for m in range(1, through_month + 1)]
    _cards_write(city, rows, batch=batch)
    return len(rows)


def _cards(year: int, city: OrgUnit, *, batch: RecordsBatch) -> int:
    levels = _stock_series("social_insurance.ecard_issued")
    opening = F.CITY_STOCKS["social_insurance.ecard_issued"][0]
    ecards = [levels[0] - opening] + [b - a for a, b in pairwise(levels)]
    physical = split_exactly(Decimal(PHYSICAL_THIS_YEAR), [float(p) for p in F.MONTH_PROFILE])
    rows = [(year - 1, 12, PHYSICAL_IN_ALL - PHYSICAL_THIS_YEAR, int(opening), "期初:截至上年末累计")]
    rows += [(year, m, int(physical[m - 1]), ecards[m - 1], DEMO_REMARK) for m in range(1, 13)]
    _cards_write(city, rows, batch=batch)
    return len(rows)


def _cards_write(city: OrgUnit, rows: list[tuple], *, batch: RecordsBatch) -> None:
    for y, m, cards, signed, remark in rows:
        record_upsert(
            user=None,
            model=CardIssuance,
            lookup={"org_unit": city, "year": y, "month": m},
            values={"physical_cards": cards, "ecards_signed": signed, "remark": remark},
            door=Door.DEMO,
            batch=batch,
        )


def demo_registers_load(
    year: int, townships: list[OrgUnit], *, through_month: int = 12, batch: RecordsBatch
) -> dict[str, int]:
    """2024 as the report has it; a later year (in progress: through_month) goes on from it."""
    city = OrgUnit.objects.get(code=CITY_CODE)
    land = _land_estimates(year, townships, through_month, batch=batch)
    if year == F.YEAR:
        return {
            "insured_counts": _insured(year, city, batch=batch),
            "card_issuance": _cards(year, city, batch=batch),
            **land,
        }
    return {
        "insured_counts": _insured(year, city, through_month, batch=batch),
        "card_issuance": _cards_later_year(year, city, through_month, batch=batch),
        **land,
    }


def _land_estimates(
    year: int, townships: list[OrgUnit], through_month: int, *, batch: RecordsBatch
) -> dict[str, int]:
    """The year's projects at the townships whose land they take, replaced on every load."""
    stale = list(LandRequisitionEstimate.objects.filter(remark=DEMO_REMARK, estimated_on__year=year))
    rng = random.Random(f"social_insurance/land/{year}")
    share = sum(F.MONTH_PROFILE[:through_month]) / sum(F.MONTH_PROFILE)
    count = max(1, round(LAND_PROJECTS * share))
    weights = [rng.uniform(0.4, 1.6) for _ in range(count)]
    people = split_exactly(Decimal(round(LAND_PEOPLE * share)), weights)
    amounts = split_exactly((LAND_AMOUNT * Decimal(share)).quantize(Decimal(1)), weights, 2)
    records = [
        LandRequisitionEstimate(
            project=f"{year}年{rng.choice(LAND_PLACES)}第{i + 1}批次建设用地征收",
            org_unit=rng.choice(townships),
            estimated_on=date(year, rng.randint(1, through_month), rng.randint(1, 28)),
            people=int(people[i]),
            amount=amounts[i],
            remark=DEMO_REMARK,
        )
        for i in range(count)
    ]
    records_import(
        user=None, model=LandRequisitionEstimate, created=records, deleted=stale, door=Door.DEMO, batch=batch
    )
    return {"land_estimates": count}
