"""Demo records of the employment registers, reproducing the bureau's 2024 report:
- 零工驿站: 1 city hub, 3 industry branches (lobster, garments, chemicals), 23 township micro-stations,
  465 village points; in the year 3.4万 services, 4,017 gig-worker registrations, 8,512 job postings,
  8,287 consultations, 1,158 placements;
- 创业担保贷款: 1,440 loans, 39,000万元 (3.9亿元) exactly;
- 职业技能培训: 6,706 trainees, of which prison training 1,011 and lobster + sewing 2,024;
- 返乡创业: 853 start-ups creating 2,519 jobs.

Deterministic (fixed seeds) and idempotent: the previous demo records (remark 演示数据) are deleted
first. Records are written through registers.services (records_import: bulk writes, history);
demo_load's records_batch (given to every write) counts the months they fill once, at its end."""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from demo.figures import MONTH_PROFILE
from demo.figures import YEAR as REPORT_YEAR
from demo.making import BASE_WEIGHT, person_name, split_exactly
from indicators.feeds import feed_recount
from orgs.models import OrgUnit
from orgs.selectors import org_root
from registers.models import Door
from registers.services import RecordsBatch, record_create, records_import

from .models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass

DEMO = "演示数据"

VILLAGE_POINTS = 465
BRANCHES = ["龙虾", "服装", "化工"]
GIG_TOTALS = {
    "services": 34000,
    "registrations": 4017,
    "job_postings": 8512,
    "consultations": 8287,
    "placements": 1158,
}
# Weight of one station of each kind in the network's counts.
GIG_WEIGHT = {GigStation.Kind.HUB: 40, GigStation.Kind.BRANCH: 15, GigStation.Kind.TOWNSHIP: 6}
VILLAGE_WEIGHT = 0.4

# 1,440 loans, 3.9亿元: mostly individuals (up to 30万元 each), some small businesses.
LOANS = {
    GuaranteeLoan.BorrowerKind.INDIVIDUAL: (1200, 24000),
    GuaranteeLoan.BorrowerKind.SMALL_BUSINESS: (240, 15000),
}

# Trainees by class type (6,706 in all); prison training is the city's own (市本级).
TRAINEES = {
    TrainingClass.Type.PRISON: 1011,
    TrainingClass.Type.LOBSTER: 1100,
    TrainingClass.Type.SEWING: 924,
    TrainingClass.Type.SYB: 1250,
    TrainingClass.Type.OTHER: 2421,
}
# SYB classes are small (the report's 100余期 of 1,250 trainees: 104 classes).
CLASS_SIZE = {"prison": 50, "lobster": 50, "sewing": 42, "syb": 12, "other": 45}
CLASS_DAYS = {"prison": 30, "lobster": 15, "sewing": 30, "syb": 10, "other": 20}
OTHER_COURSES = ["电工", "焊工", "育婴员", "养老护理员", "中式烹调师", "电子商务", "叉车司机", "家政服务员"]

STARTUPS, STARTUP_JOBS = 853, 2519

TRADES = ["小龙虾养殖", "稻虾共作家庭农场", "电商服务部", "服装加工厂", "餐饮店", "农机服务部", "物流配送站",
          "农产品加工坊", "汽车修理部", "民宿"]  # fmt: skip
FIRM_WORDS = ["鑫源", "楚天", "汉江", "虾都", "曹禺", "兴农", "恒达", "瑞丰", "宏发", "江汉"]
FIRM_TRADES = ["水产食品", "服饰", "商贸", "农业科技", "建材", "物流", "化工科技", "餐饮管理"]


def demo_registers_load(
    year: int, townships: list[OrgUnit], *, through_month: int = 12, batch: RecordsBatch
) -> dict[str, int]:
    """The year's records; a later year (closed, or in progress through_month) gets January to that
    month, the year's figures scaled to the months' share of MONTH_PROFILE, and no new gig-work
    network (its stations go on standing)."""
    _clear(year, batch=batch)
    city = org_root()
    share = sum(MONTH_PROFILE[:through_month]) / sum(MONTH_PROFILE)
    counts = {
        **(
            _gig_network(year, city, townships, batch=batch)
            if year == REPORT_YEAR
            else _gig_months_later(year, through_month, batch=batch)
        ),
        "guarantee_loans": _loans(year, townships, through_month, share, batch=batch),
        "training_classes": _training(year, city, townships, through_month, share, batch=batch),
        "returnee_startups": _startups(year, townships, through_month, share, batch=batch),
    }
    return counts


def _clear(year: int, *, batch: RecordsBatch) -> None:
    """Delete the year's previous demo records (through the register service: history, one recount of
    the months they counted in, in the same batch as their re-creation). The gig-work network is kept
    (_gig_network): later years' months hang on its stations."""
    for model, day in (
        (GuaranteeLoan, "issued_on"),
        (TrainingClass, "end_on"),
        (ReturneeStartup, "started_on"),
    ):
        _write(model, deleted=list(model.objects.filter(remark=DEMO, **{f"{day}__year": year})), batch=batch)


def _gig_network_clear(*, batch: RecordsBatch) -> None:
    """The demo's stations and all their months (children before their parents)."""
    _write(GigStationMonth, deleted=list(GigStationMonth.objects.filter(remark=DEMO)), batch=batch)
    for kind in reversed(list(GigStation.PARENT_KIND)):
        _write(GigStation, deleted=list(GigStation.objects.filter(remark=DEMO, kind=kind)), batch=batch)


def _write(model, *, created=(), deleted=(), batch: RecordsBatch) -> None:
    records_import(user=None, model=model, created=created, deleted=deleted, door=Door.DEMO, batch=batch)


# ----------------------------------------------------------------------------- helpers


def _day_in(rng: random.Random, year: int, through_month: int = 12) -> date:
    """A day in the year up to through_month, months shaped like the rest of the demo (MONTH_PROFILE)."""
    month = rng.choices(range(1, through_month + 1), weights=MONTH_PROFILE[:through_month])[0]
    return date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


def _township_picker(rng: random.Random, townships: list[OrgUnit]) -> Iterator[OrgUnit]:
    weights = [BASE_WEIGHT[t.kind] * rng.uniform(0.7, 1.3) for t in townships]
    while True:
        yield rng.choices(townships, weights=weights)[0]


def _split(total: int, weights: list[float]) -> list[int]:
    return [int(part) for part in split_exactly(Decimal(total), weights)]


# ----------------------------------------------------------------------------- gig-work stations


def _gig_network_levels(year: int, through_month: int) -> None:
    """The network's stations stand in every later year: count its levels for the year in progress (a
    year with no station opened or closed has no record of its own to start a recount)."""
    feed_recount(model=GigStation, periods=[(year, m) for m in range(1, through_month + 1)], user=None)


def _gig_months_later(year: int, through_month: int, *, batch: RecordsBatch) -> dict[str, int]:
    """A year after the network opened: its stations' months so far, at 2024's pace (the stations
    themselves kept; the year's months rewritten only when they differ, so a second load changes
    nothing)."""
    stations = list(GigStation.objects.filter(remark=DEMO).order_by("pk"))
    if not stations:
        return {}
    share = sum(MONTH_PROFILE[:through_month]) / sum(MONTH_PROFILE)
    wanted = _gig_months(year, stations, through_month, share)
    _gig_months_sync(year, wanted, batch=batch)
    _gig_network_levels(year, through_month)
    return {"gig_station_months": len(wanted)}


def _gig_months_sync(year: int, wanted: list[GigStationMonth], *, batch: RecordsBatch) -> None:
    """The year's months as wanted, rewritten only when they differ."""
    stored = list(GigStationMonth.objects.filter(remark=DEMO, year=year))
    if sorted(map(_gig_month_key, stored)) != sorted(map(_gig_month_key, wanted)):
        _write(GigStationMonth, deleted=stored, batch=batch)
        _write(GigStationMonth, created=wanted, batch=batch)


def _gig_month_key(month: GigStationMonth) -> tuple:
    return (month.station_id, month.month, *(getattr(month, name) for name in GIG_TOTALS))


def _gig_network(
    year: int, city: OrgUnit, townships: list[OrgUnit], *, batch: RecordsBatch
) -> dict[str, int]:
    """The network opened in the report's year, kept as it is when a load finds it whole (so that a
    second load changes nothing, later years' months included), and its months of the year."""
    stations = list(GigStation.objects.filter(remark=DEMO).order_by("pk"))
    if len(stations) != 1 + len(BRANCHES) + len(townships) + VILLAGE_POINTS:
        _gig_network_clear(batch=batch)
        stations = _gig_stations(year, city, townships, batch=batch)
    months = _gig_months(year, stations, 12, 1.0)
    _gig_months_sync(year, months, batch=batch)
    # The stations opened in January stand all year: their levels in every month of the closed year,
    # not only up to the network's latest record (the recount's own reach).
    _gig_network_levels(year, 12)
    return {"gig_stations": len(stations), "gig_station_months": len(months)}


def _gig_months(
    year: int, stations: list[GigStation], through_month: int, share: float
) -> list[GigStationMonth]:
    rng = random.Random(f"employment/gig-months/{year}" if year != 2024 else "employment/gig-months")
    weights = [GIG_WEIGHT.get(s.kind, VILLAGE_WEIGHT) * rng.uniform(0.6, 1.4) for s in stations]
    per_station = {name: _split(round(total * share), weights) for name, total in GIG_TOTALS.items()}
    months = []
    for i, station in enumerate(stations):
        shape = [p * rng.uniform(0.8, 1.2) for p in MONTH_PROFILE[:through_month]]
        by_month = {name: _split(per_station[name][i], shape) for name in GIG_TOTALS}
        months += [
            GigStationMonth(
                station=station,
                year=year,
                month=m,
                remark=DEMO,
                **{n: by_month[n][m - 1] for n in GIG_TOTALS},
            )
            for m in range(1, through_month + 1)
        ]
    return months


def _gig_stations(
    year: int, city: OrgUnit, townships: list[OrgUnit], *, batch: RecordsBatch
) -> list[GigStation]:
    """The network, top down (a station's parent must have its id before the station is written)."""
    rng = random.Random("employment/gig-stations")

    def opened() -> date:  # the network opened its doors in January
        return date(year, 1, rng.randint(2, 31))

    def station(kind: str, name: str, org: OrgUnit, parent: GigStation | None) -> GigStation:
        return GigStation(kind=kind, name=name, org_unit=org, parent=parent, opened_on=opened(), remark=DEMO)

    hub = station("hub", "潜江市零工驿站总站", city, None)
    record_create(user=None, record=hub, door=Door.DEMO, batch=batch)
    branches = [station("branch", f"零工驿站{b}产业分站", city, hub) for b in BRANCHES]
    micro = [station("township", f"{t.name}零工驿站", t, hub) for t in townships]
    _write(GigStation, created=branches + micro, batch=batch)
    villages_per = _split(VILLAGE_POINTS, [BASE_WEIGHT[t.kind] * rng.uniform(0.7, 1.3) for t in townships])
    villages = [
        station("village", f"{t.name}第{n}村级微站", t, parent)
        for t, parent, count in zip(townships, micro, villages_per, strict=True)
        for n in range(1, count + 1)
    ]
    _write(GigStation, created=villages, batch=batch)
    return [hub, *branches, *micro, *villages]


# ----------------------------------------------------------------------------- loans, training, start-ups


def _loans(
    year: int, townships: list[OrgUnit], through_month: int, share: float, *, batch: RecordsBatch
) -> int:
    rng = random.Random("employment/loans")
    where = _township_picker(rng, townships)
    loans = []
    for kind, (count, total) in LOANS.items():
        count, total = round(count * share), round(total * share)
        spread = (0.6, 1.4) if kind == GuaranteeLoan.BorrowerKind.INDIVIDUAL else (0.4, 1.6)
        amounts = split_exactly(Decimal(total), [rng.uniform(*spread) for _ in range(count)])
        for amount in amounts:
            individual = kind == GuaranteeLoan.BorrowerKind.INDIVIDUAL
            loans.append(
                GuaranteeLoan(
                    borrower_kind=kind,
                    borrower_name=person_name(rng)
                    if individual
                    else f"潜江市{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_TRADES)}有限公司",
                    org_unit=next(where),
                    issued_on=_day_in(rng, year, through_month),
                    amount=amount,
                    term_months=rng.choice((24, 36) if individual else (12, 24)),
                    jobs_created=rng.randint(1, 3) if individual else rng.randint(3, 15),
                    remark=DEMO,
                )
            )
    loans.sort(key=lambda loan: loan.issued_on)
    for number, loan in enumerate(loans, start=1):
        loan.loan_number = f"QJCD{year}{number:05d}"
    _write(GuaranteeLoan, created=loans, batch=batch)
    return len(loans)


def _training(
    year: int,
    city: OrgUnit,
    townships: list[OrgUnit],
    through_month: int,
    share: float,
    *,
    batch: RecordsBatch,
) -> int:
    rng = random.Random("employment/training")
    where = _township_picker(rng, townships)
    classes = []
    for kind, total in TRAINEES.items():
        total = round(total * share)
        count = max(1, round(total / CLASS_SIZE[kind]))
        for n, trainees in enumerate(_split(total, [rng.uniform(0.7, 1.3) for _ in range(count)]), start=1):
            end = _day_in(rng, year, through_month)
            start = max(date(year, 1, 1), end - timedelta(days=CLASS_DAYS[kind] + rng.randint(-3, 3)))
            org = city if kind == TrainingClass.Type.PRISON else next(where)
            course = (
                rng.choice(OTHER_COURSES)
                if kind == TrainingClass.Type.OTHER
                else TrainingClass.Type(kind).label
            )
            classes.append(
                TrainingClass(
                    name=f"{year}年{org.name if org != city else '潜江监狱'}{course}培训班(第{n}期)",
                    training_type=kind,
                    org_unit=org,
                    start_on=start,
                    end_on=end,
                    trainees=trainees,
                    completions=trainees - rng.randint(0, trainees // 20),
                    remark=DEMO,
                )
            )
    _write(TrainingClass, created=classes, batch=batch)
    return len(classes)


def _startups(
    year: int, townships: list[OrgUnit], through_month: int, share: float, *, batch: RecordsBatch
) -> int:
    rng = random.Random("employment/startups")
    where = _township_picker(rng, townships)
    count = round(STARTUPS * share)
    jobs = _split(round(STARTUP_JOBS * share), [rng.uniform(0.3, 1.7) for _ in range(count)])
    startups = []
    for jobs_created in jobs:
        founder = person_name(rng)
        startups.append(
            ReturneeStartup(
                founder_name=founder,
                business_name=f"{founder}{rng.choice(TRADES)}",
                org_unit=next(where),
                started_on=_day_in(rng, year, through_month),
                jobs_created=jobs_created,
                remark=DEMO,
            )
        )
    _write(ReturneeStartup, created=startups, batch=batch)
    return len(startups)
