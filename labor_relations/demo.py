"""Demo records that reproduce the labour-relations figures of the bureau's 2024 report:
508 dispute cases received, 483 closed (all within their term), 442 of them by mediation (91.51%),
187 closed at the arbitration stage of which 177 ended there for good (94.65%); 241 wage-arrears cases,
1,244 workers, 1,545.7482万元 recovered, 12 referred to the police, 7 to court enforcement (the 安薪行动
share: 16 cases, 131 workers, 158.37万元); 1,619 credit-rating files and 14 employers blacklisted.

Deterministic (fixed seeds) and idempotent: records carry the remark DEMO and are synced by their
natural keys (created, updated only where they differ, stale ones deleted), so a second run changes
nothing. They are written through registers.services.records_import (bulk writes, history, recount)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import models

from demo.figures import MONTH_PROFILE
from demo.making import BASE_WEIGHT, person_name, split_exactly
from orgs.models import OrgUnit
from registers.models import Door
from registers.services import RecordsBatch, records_import

from .credit_codes import ALPHABET, credit_code_check_char
from .models import (
    BlacklistEntry,
    CreditRating,
    DisputeCase,
    InspectionComplaint,
    WageArrearsCase,
    WageArrearsLead,
)

DEMO = "演示数据"
Closing, Stage = DisputeCase.Closing, DisputeCase.Stage

RECEIVED = 508
# (stage, how closed, final award) -> closings. 442 mediated of 483; 177 of the 187 arbitration-stage
# closings ended there (150 arbitral mediations + 27 final awards).
CLOSINGS = {
    (Stage.MEDIATION, Closing.MEDIATED, False): 292,
    (Stage.MEDIATION, Closing.WITHDRAWN, False): 3,
    (Stage.MEDIATION, Closing.OTHER, False): 1,
    (Stage.ARBITRATION, Closing.MEDIATED, False): 150,
    (Stage.ARBITRATION, Closing.AWARDED, True): 27,
    (Stage.ARBITRATION, Closing.AWARDED, False): 6,
    (Stage.ARBITRATION, Closing.WITHDRAWN, False): 3,
    (Stage.ARBITRATION, Closing.OTHER, False): 1,
}
# (source, cases, workers, 元 recovered): the 安薪行动 cases as the report gives them, the rest split.
WAGE_CASES = [
    (WageArrearsCase.Source.CAMPAIGN, 16, 131, Decimal(1583700)),
    (WageArrearsCase.Source.PLATFORM, 97, None, None),
    (WageArrearsCase.Source.COMPLAINT, 110, None, None),
    (WageArrearsCase.Source.INSPECTION, 12, None, None),
    (WageArrearsCase.Source.REFERRAL, 6, None, None),
]
WAGE_WORKERS, WAGE_RECOVERED = 1244, Decimal(15457482)  # 1,545.7482万元 in 元
REFERRED_TO_POLICE, COURT_ENFORCEMENT = 12, 7
GRADES = {CreditRating.Grade.A: 1388, CreditRating.Grade.B: 204, CreditRating.Grade.C: 27}
BLACKLISTED = 14
# 生成年度诚信评价档案1619份 in the year's last quarter; 为企业开具诚信等级评价报告250余份 (256).
RATING_REPORTS = 256
# 接待…劳动监察投诉举报3400余人次 (3,436); 处置全国欠薪平台线索319条 (and the year's last leads still open).
COMPLAINTS = 3436
LEADS_HANDLED, LEADS_OPEN = 319, 11

FIRMS_A = "荣盛鑫源恒通华信宏达永兴金鼎汇丰瑞祥广源天成泰和嘉禾联创启航正邦"
FIRMS_B = ["建筑工程", "劳务", "虾稻产业", "服装", "化工", "机械制造", "物流", "食品", "商贸", "建材", "电子"]


def demo_registers_load(
    year: int, townships: list[OrgUnit], *, through_month: int = 12, batch: RecordsBatch
) -> dict[str, int]:
    """The year's records, each register synced within the year; a year in progress (through_month
    < 12) gets January to that month: its dispute cases, complaints and leads 2024's numbers scaled to
    the months' share of the profile, the other registers the full year's records up to that month."""
    city = OrgUnit.objects.get(parent__isnull=True)  # the portal's own unit: 市本级
    within = _within(year, through_month)
    disputes = _dispute_cases(year, city, through_month)
    complaints = _complaints(year, city, townships, through_month)
    leads = _leads(year, city, townships, through_month)
    cases = _until(_wage_cases(year, city, townships), within, "opened_on", "closed_on")
    ratings = _until(_credit_ratings(year, townships), within, "rated_on", "report_issued_on")
    blacklist = _until(_blacklist(year, ratings), within, "listed_on")
    # Each register's records, matched by their natural key among its demo records of the year.
    synced = [
        ("dispute_cases", DisputeCase, ("case_number",), "received_on__year", disputes),
        ("inspection_complaints", InspectionComplaint, ("number",), "received_on__year", complaints),
        ("wage_arrears_leads", WageArrearsLead, ("lead_number",), "assigned_on__year", leads),
        ("wage_arrears_cases", WageArrearsCase, ("case_number",), "opened_on__year", cases),
        ("credit_ratings", CreditRating, ("credit_code", "year"), "year", ratings),
        ("blacklist", BlacklistEntry, ("credit_code", "listed_on"), "listed_on__year", blacklist),
    ]
    return {
        name: _sync(model, key, records, {year_of: year}, batch=batch)
        for name, model, key, year_of, records in synced
    }


def _until(records: list, within: date, day_field: str, *later_fields: str) -> list:
    """A year in progress: the records whose day falls by `within` (the end of its last month
    reported), with what happened after it (a closing, a report issued) not happened yet."""
    kept = [r for r in records if getattr(r, day_field) <= within]
    for record in kept:
        for name in later_fields:
            if getattr(record, name) is not None and getattr(record, name) > within:
                setattr(record, name, None)
    return kept


# ----------------------------------------------------------------------------- records


def _days_in_year(year: int, count: int, seed: str, through_month: int = 12) -> list[date]:
    """count dates in the year up to through_month, shaped like the rest of the demo's months, sorted."""
    rng = random.Random(seed)
    profile = MONTH_PROFILE[:through_month]
    per_month = split_exactly(Decimal(count), [p * rng.uniform(0.85, 1.15) for p in profile])
    days = []
    for month, n in enumerate(per_month, start=1):
        last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
        days += [date(year, month, rng.randint(1, last)) for _ in range(int(n))]
    return sorted(days)


def _firm(rng: random.Random) -> str:
    return f"潜江市{rng.choice(FIRMS_A)}{rng.choice(FIRMS_A)}{rng.choice(FIRMS_B)}有限公司"


def _dispute_cases(year: int, city: OrgUnit, through_month: int = 12) -> list[DisputeCase]:
    rng = random.Random(f"labor_relations/disputes/{year}")
    share = sum(MONTH_PROFILE[:through_month]) / sum(MONTH_PROFILE)
    outcomes = [key for key, n in CLOSINGS.items() for _ in range(round(n * share))]
    rng.shuffle(outcomes)
    # The last day a case can have closed by: the year's end, or the end of the last month reported.
    year_end = date(year + through_month // 12, through_month % 12 + 1, 1) - timedelta(days=1)
    cases = []
    received_days = _days_in_year(year, round(RECEIVED * share), f"disputes/{year}/days", through_month)
    for i, received in enumerate(received_days):
        # The cases received last, past the closings (508 - 483 = 25 in a whole year), are still open.
        stage, how, final = outcomes[i] if i < len(outcomes) else (Stage.MEDIATION, "", False)
        extended = stage == Stage.ARBITRATION and rng.random() < 0.05
        deadline = DisputeCase.default_deadline(received, extended)
        # Pre-arbitration mediation settles within days; a tribunal takes weeks, always within term.
        days = rng.randint(1, 15) if stage == Stage.MEDIATION else rng.randint(12, 44 + 15 * extended)
        closed = min(received + timedelta(days=days), deadline, year_end) if how else None
        cases.append(
            DisputeCase(
                case_number=f"潜劳人仲〔{year}〕{i + 1:04d}号",
                org_unit=city,
                applicant=person_name(rng),
                respondent=_firm(rng),
                received_on=received,
                stage=stage,
                deadline_extended=extended,
                deadline_on=deadline,
                closed_on=closed,
                closed_how=how,
                final_award=final,
                amount=Decimal(rng.randrange(2000, 200000, 100)),
                remark=DEMO,
            )
        )
    return cases


def _wage_cases(year: int, city: OrgUnit, townships: list[OrgUnit]) -> list[WageArrearsCase]:
    rng = random.Random(f"labor_relations/wages/{year}")
    plan = _wage_plan()
    rest_amount = WAGE_RECOVERED - sum(a for _, _, _, a in plan if a is not None)
    sources = [source for source, n, _, _ in plan for _ in range(n)]
    workers = [w for _, n, total, _ in plan for w in _at_least_one_each(total, n, rng)]
    amounts = _amounts(plan, workers, rest_amount, rng)
    where = [city, *townships]
    where_weights = [6.0] + [BASE_WEIGHT[t.kind] for t in townships]
    opened_days = _days_in_year(year, len(sources), f"wages/{year}/days")
    rng.shuffle(opened_days)
    police = set(rng.sample(range(len(sources)), REFERRED_TO_POLICE))
    court = set(rng.sample([i for i in range(len(sources)) if i not in police], COURT_ENFORCEMENT))
    return [
        WageArrearsCase(
            case_number=f"潜人社监〔{year}〕{i + 1:04d}号",
            org_unit=rng.choices(where, where_weights)[0],
            employer=_firm(rng),
            source=source,
            opened_on=opened,
            closed_on=min(opened + timedelta(days=rng.randint(3, 40)), date(year, 12, 31)),
            workers=workers[i],
            amount_recovered=amounts[i],
            referred_to_police=i in police,
            court_enforcement=i in court,
            remark=DEMO,
        )
        for i, (source, opened) in enumerate(zip(sources, opened_days, strict=True))
    ]


def _wage_plan() -> list[tuple[str, int, int, Decimal | None]]:
    """(source, cases, workers, 元 or None) with the workers of the sources the report does not
    break down split in proportion to their cases (the rounding lands on the last one)."""
    known = [row for row in WAGE_CASES if row[2] is not None]
    rest = [row for row in WAGE_CASES if row[2] is None]
    rest_workers = WAGE_WORKERS - sum(w for _, _, w, _ in known)
    rest_cases = sum(n for _, n, _, _ in rest)
    plan = known + [(source, n, rest_workers * n // rest_cases, None) for source, n, _, _ in rest]
    source, n, _, _ = plan[-1]
    plan[-1] = (source, n, WAGE_WORKERS - sum(w for _, _, w, _ in plan[:-1]), None)
    return plan


def _at_least_one_each(total: int, n: int, rng: random.Random) -> list[int]:
    extra = split_exactly(Decimal(total - n), [rng.uniform(0.2, 2.0) for _ in range(n)])
    return [1 + int(e) for e in extra]


def _amounts(plan, workers: list[int], rest_amount: Decimal, rng: random.Random) -> list[Decimal]:
    """Whole 元 per case, roughly in proportion to the workers owed; each source's total exact."""
    shares, start = [], 0
    for _source, n, _w, amount in plan:
        shares.append((workers[start : start + n], amount))
        start += n
    rest_workers = sum(sum(share) for share, amount in shares if amount is None)
    out = []
    for share, amount in shares:
        total = amount if amount is not None else rest_amount * sum(share) / rest_workers
        total = total.quantize(Decimal(1))
        out += split_exactly(total, [w * rng.uniform(0.6, 1.4) for w in share])
    drift = WAGE_RECOVERED - sum(out)  # rounding of the per-source totals lands on the last case
    out[-1] += drift
    return out


def _credit_code(rng: random.Random, taken: set[str]) -> str:
    while True:
        first17 = "91429005" + "".join(rng.choice(ALPHABET[:10]) for _ in range(8)) + rng.choice(ALPHABET)
        code = first17 + credit_code_check_char(first17)
        if code not in taken:
            taken.add(code)
            return code


def _credit_ratings(year: int, townships: list[OrgUnit]) -> list[CreditRating]:
    rng = random.Random(f"labor_relations/credit/{year}")
    grades = [grade for grade, n in GRADES.items() for _ in range(n)]
    rng.shuffle(grades)
    weights = [BASE_WEIGHT[t.kind] for t in townships]
    taken: set[str] = set()
    return [
        CreditRating(
            employer=_firm(rng),
            credit_code=_credit_code(rng, taken),
            org_unit=rng.choices(townships, weights)[0],
            year=year,
            grade=grade,
            rated_on=rated,
            report_issued_on=(
                min(rated + timedelta(days=rng.randint(3, 30)), date(year, 12, 31))
                if i < RATING_REPORTS
                else None
            ),
            remark=DEMO,
        )
        for i, (grade, rated) in enumerate(zip(grades, _rating_days(year, len(grades), rng), strict=True))
    ]


def _rating_days(year: int, count: int, rng: random.Random) -> list[date]:
    """The year's files are made in its last quarter (the annual rating)."""
    return [date(year, rng.randint(10, 12), rng.randint(1, 28)) for _ in range(count)]


def _within(year: int, through_month: int) -> date:
    """The last day a record of a year in progress may carry: the end of the last month reported."""
    return date(year + through_month // 12, through_month % 12 + 1, 1) - timedelta(days=1)


def _complaints(
    year: int, city: OrgUnit, townships: list[OrgUnit], through_month: int
) -> list[InspectionComplaint]:
    """Visits, calls and letters to the inspection brigade: most at the city, the rest at the townships."""
    rng = random.Random(f"labor_relations/complaints/{year}")
    share = sum(MONTH_PROFILE[:through_month]) / sum(MONTH_PROFILE)
    days = _days_in_year(year, round(COMPLAINTS * share), f"complaints/{year}/days", through_month)
    where, weights = [city, *townships], [40.0] + [BASE_WEIGHT[t.kind] for t in townships]
    channels, outcomes = list(InspectionComplaint.Channel), list(InspectionComplaint.Outcome)
    matters = ["拖欠工资", "未签订劳动合同", "未缴纳社会保险", "超时加班", "克扣工资", "违法解除劳动合同"]
    return [
        InspectionComplaint(
            number=f"潜监投〔{year}〕{i + 1:05d}号",
            org_unit=rng.choices(where, weights)[0],
            received_on=day,
            channel=rng.choices(channels, [3, 5, 0.5, 2])[0],
            complainant=person_name(rng),
            employer=_firm(rng),
            matter=rng.choice(matters),
            workers=rng.choice([1, 1, 1, 2, 3, 5]),
            outcome=rng.choices(outcomes, [6, 3, 1, 1])[0],
            closed_on=min(day + timedelta(days=rng.randint(0, 20)), _within(year, through_month)),
            remark=DEMO,
        )
        for i, day in enumerate(days)
    ]


def _leads(year: int, city: OrgUnit, townships: list[OrgUnit], through_month: int) -> list[WageArrearsLead]:
    """The platform's leads assigned to the city: the year's handled ones, the last few still open."""
    rng = random.Random(f"labor_relations/leads/{year}")
    share = sum(MONTH_PROFILE[:through_month]) / sum(MONTH_PROFILE)
    handled = round(LEADS_HANDLED * share)
    end = _within(year, through_month)
    days = _days_in_year(year, handled + LEADS_OPEN, f"leads/{year}/days", through_month)
    leads = []
    for i, day in enumerate(days):
        open_lead = i >= handled
        leads.append(
            WageArrearsLead(
                lead_number=f"QXS{year}{i + 1:05d}",
                org_unit=rng.choice([city, *townships]),
                assigned_on=min(day, end) if not open_lead else end,
                employer=_firm(rng),
                workers=rng.randint(1, 12),
                amount_claimed=Decimal(rng.randrange(3000, 300000, 100)),
                handled_on=None if open_lead else min(day + timedelta(days=rng.randint(2, 25)), end),
                became_case=not open_lead and rng.random() < 0.3,
                remark=DEMO,
            )
        )
    return leads


def _blacklist(year: int, ratings: list[CreditRating]) -> list[BlacklistEntry]:
    rng = random.Random(f"labor_relations/blacklist/{year}")
    graded_c = [r for r in ratings if r.grade == CreditRating.Grade.C]
    reasons = ["拖欠农民工工资,经责令限期支付逾期未支付", "克扣、无故拖欠农民工工资数额较大"]
    return [
        BlacklistEntry(
            employer=r.employer,
            credit_code=r.credit_code,
            org_unit=r.org_unit,
            listed_on=date(year, rng.randint(2, 12), rng.randint(1, 28)),
            reason=rng.choice(reasons),
            remark=DEMO,
        )
        for r in rng.sample(graded_c, BLACKLISTED)
    ]


# ----------------------------------------------------------------------------- sync


def _sync(
    model: type[models.Model],
    key: tuple[str, ...],
    wanted: list[models.Model],
    within: dict,
    *,
    batch: RecordsBatch,
) -> int:
    """Make the model's demo records `within` a year exactly `wanted`, matched by natural key, through
    the register service (which recounts the months they touch, before and after). Returns how many
    there are."""
    existing = {_key(r, key): r for r in model.objects.filter(remark=DEMO, **within)}
    fields = [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in ("created_at", "updated_at")
    ]
    new, changed = [], []
    for record in wanted:
        old = existing.pop(_key(record, key), None)
        if old is None:
            new.append(record)
        elif any(_value(old, f) != _value(record, f) for f in fields):
            record.pk = old.pk
            changed.append(record)
    stale = list(existing.values())
    records_import(
        user=None,
        model=model,
        created=new,
        updated=changed,
        deleted=stale,
        fields=fields,
        door=Door.DEMO,
        batch=batch,
    )
    return len(wanted)


def _key(record: models.Model, key: tuple[str, ...]) -> tuple:
    return tuple(_value(record, f) for f in key)


def _value(record: models.Model, field: str):
    return getattr(record, record._meta.get_field(field).attname)
