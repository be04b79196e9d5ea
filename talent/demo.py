"""Demo records reproducing the report's talent figures for 2024: 124 recruitment plans (2,364
applicants, 119 hired), campus recruitment at 8 universities (1,038 applicants, 213 signed, 56 of
them master's), 3 certification bodies recognised in the year (plus 2 older ones), one provincial
silver and a provincial contest hosted with 87 contestants from 12 prefectures, and 2,244
certificates (1,159 高级工, 83 技师) spread over the 23 townships and the months.

Every demo record carries the remark DEMO_REMARK; a reload deletes those and writes them again
(fixed seeds, so the same records), and the feeds find the same monthly values: nothing changes."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from demo import figures as F
from demo.making import person_name, split_exactly
from orgs.models import OrgUnit
from registers.models import Door
from registers.services import RecordsBatch, record_create, record_upsert, records_import

from .models import (
    CampusRecruitment,
    CertificationBody,
    CompetitionAward,
    RecruitmentPlan,
    SkillCertificate,
    SkillCompetition,
    SkillLevel,
)

DEMO_REMARK = "演示数据"
CITY_CODE = "429005"
CERTIFICATES, SENIOR, TECHNICIANS = 2244, 1159, 83
PLANS, PLAN_APPLICANTS, PLAN_HIRED = 124, 2364, 119
UNIVERSITIES = ["武汉大学", "华中科技大学", "华中师范大学", "武汉理工大学", "华中农业大学", "中南财经政法大学", "长江大学", "湖北大学"]  # fmt: skip
CAMPUS_APPLICANTS, CAMPUS_SIGNED, CAMPUS_MASTERS, CAMPUS_FIRST_TIER = 1038, 213, 56, 59
EMPLOYERS = ["潜江市中心医院", "潜江市人民医院", "潜江市中医院", "潜江市妇幼保健院", "潜江市疾病预防控制中心", "潜江市实验小学", "潜江市第一中学", "潜江市城南中学", "潜江市职业教育中心", "潜江市农业技术推广中心", "潜江市水利工程管理站", "潜江市公共就业和人才服务中心", "潜江市社会保险服务中心", "潜江市不动产登记中心"]  # fmt: skip
OCCUPATIONS = ["中式烹调师", "电工", "焊工", "育婴员", "养老护理员", "保育师", "化工总控工", "缝纫工", "农业技术员", "汽车维修工", "钳工", "茶艺师"]  # fmt: skip
BODIES = [  # name, kind, recognised on (the last three are 2024's new bodies)
    ("潜江市技工学校", CertificationBody.Kind.SCHOOL, date(2020, 9, 1)),
    ("潜江市职业技能鉴定所", CertificationBody.Kind.SOCIAL, date(2021, 3, 15)),
    ("潜江市某化工企业职业技能等级认定站", CertificationBody.Kind.ENTERPRISE, date(2024, 3, 20)),
    ("潜江市某服装企业职业技能等级认定站", CertificationBody.Kind.ENTERPRISE, date(2024, 6, 18)),
    ("潜江市某餐饮行业培训评价组织", CertificationBody.Kind.SOCIAL, date(2024, 9, 10)),
]


def _clear(year: int, *, batch: RecordsBatch) -> None:
    """Delete the year's previous demo records (through the register service: history, recount)."""
    in_year = {
        SkillCertificate: {"issued_on__year": year},
        CompetitionAward: {"competition__held_on__year": year},
        SkillCompetition: {"held_on__year": year},
        CampusRecruitment: {"held_on__year": year},
        RecruitmentPlan: {"year": year},
    }
    for model, where in in_year.items():
        deleted = list(model.objects.filter(remark=DEMO_REMARK, **where))
        records_import(user=None, model=model, deleted=deleted, door=Door.DEMO, batch=batch)


def _plans(year: int, city: OrgUnit, through_month: int = 12, *, batch: RecordsBatch) -> int:
    rng = random.Random("talent/plans" if year == F.YEAR else f"talent/plans/{year}")
    share = sum(F.MONTH_PROFILE[:through_month]) / sum(F.MONTH_PROFILE)
    count = round(PLANS * share)
    posts = [rng.choice([1, 1, 1, 1, 2]) for _ in range(count)]
    hired = split_exactly(Decimal(round(PLAN_HIRED * share)), [p * rng.uniform(0.85, 1.0) for p in posts])
    applicants = split_exactly(
        Decimal(round(PLAN_APPLICANTS * share)), [rng.uniform(0.4, 1.6) for _ in range(count)]
    )
    # Approved through the year's recruitment seasons (spring and autumn), up to the last month reported.
    months = [m for m in (3, 4, 5, 9, 10, 11) if m <= through_month] or [1]
    approved = [date(year, rng.choice(months), rng.randint(1, 28)) for _ in range(count)]
    _write(
        RecruitmentPlan,
        [
            RecruitmentPlan(
                org_unit=city,
                year=year,
                employer=EMPLOYERS[i % len(EMPLOYERS)],
                approved_on=approved[i],
                posts=max(posts[i], int(hired[i])),
                applicants=max(int(applicants[i]), int(hired[i])),
                hired=int(hired[i]),
                remark=DEMO_REMARK,
            )
            for i in range(count)
        ],
        batch=batch,
    )
    return count


def _write(model, records: list, *, batch: RecordsBatch) -> None:
    records_import(user=None, model=model, created=records, door=Door.DEMO, batch=batch)


def _campus(year: int, city: OrgUnit, through_month: int = 12, *, batch: RecordsBatch) -> int:
    """The spring and autumn campus rounds (2024's figures); a year in progress has those held by the
    end of its last month reported."""
    rng = random.Random("talent/campus")
    weights = [rng.uniform(0.6, 1.4) for _ in UNIVERSITIES]
    applicants = split_exactly(Decimal(CAMPUS_APPLICANTS), weights)
    signed = split_exactly(Decimal(CAMPUS_SIGNED), weights)
    masters = split_exactly(Decimal(CAMPUS_MASTERS), [float(s) for s in signed])
    # 一本 graduates among the other signings (not master's): 59 of the 157.
    first_tier = split_exactly(
        Decimal(CAMPUS_FIRST_TIER), [float(s - m) for s, m in zip(signed, masters, strict=True)]
    )
    days = sorted(date(year, rng.choice([3, 4, 10, 11]), rng.randint(1, 28)) for _ in UNIVERSITIES)
    _write(
        CampusRecruitment,
        [
            CampusRecruitment(
                org_unit=city,
                university=uni,
                held_on=day,
                applicants=int(a),
                signed=int(s),
                masters=int(m),
                first_tier=int(f),
                remark=DEMO_REMARK,
            )
            for uni, day, a, s, m, f in zip(
                UNIVERSITIES, days, applicants, signed, masters, first_tier, strict=True
            )
            if day.month <= through_month
        ],
        batch=batch,
    )
    return sum(1 for day in days if day.month <= through_month)


def _bodies(*, batch: RecordsBatch) -> list[CertificationBody]:
    return [
        record_upsert(
            user=None,
            model=CertificationBody,
            lookup={"name": name},
            values={"kind": kind, "recognised_on": day},
            door=Door.DEMO,
            batch=batch,
        )
        for name, kind, day in BODIES
    ]


def _bodies_of_year(year: int, through_month: int, *, batch: RecordsBatch) -> list[CertificationBody]:
    """A year after 2024 gets a new body of its own in May (新增等级认定备案机构 in the year in progress)."""
    if year <= 2024 or through_month < 5:
        return []
    return [
        record_upsert(
            user=None,
            model=CertificationBody,
            lookup={"name": f"潜江市家政服务行业协会({year}年备案)"},
            values={"kind": CertificationBody.Kind.SOCIAL, "recognised_on": date(year, 5, 18)},
            door=Door.DEMO,
            batch=batch,
        )
    ]


def _create(model, *, batch: RecordsBatch, **values):
    return record_create(user=None, record=model(**values), door=Door.DEMO, batch=batch)


def _competitions(year: int, *, batch: RecordsBatch) -> int:
    contest = _create(
        SkillCompetition,
        batch=batch,
        name=f"{year}年湖北省职业技能大赛",
        level=SkillCompetition.Level.PROVINCIAL,
        held_on=date(year, 8, 22),
        contestants=6,
        remark=DEMO_REMARK,
    )
    _create(
        CompetitionAward,
        batch=batch,
        competition=contest,
        winner="潜江市代表队",
        prize=CompetitionAward.Prize.SILVER,
        remark=DEMO_REMARK,
    )
    _create(
        SkillCompetition,
        batch=batch,
        name=f"{year}年湖北省行业职业技能竞赛(潜江承办)",
        level=SkillCompetition.Level.PROVINCIAL,
        held_on=date(year, 10, 16),
        hosted=True,
        contestants=87,
        regions=12,
        remark=DEMO_REMARK,
    )
    return 2


def _certificate_cells(
    townships: list[OrgUnit], rng: random.Random, through_month: int, total: int
) -> list[tuple[OrgUnit, int]]:
    """(township, month) for each certificate: townships weighted by size, months by the demo's profile."""
    size = {"street": 1.6, "town": 1.0, "district": 0.5}
    cells = [(t, m) for t in townships for m in range(1, through_month + 1)]
    weights = [size[t.kind] * rng.uniform(0.7, 1.3) * F.MONTH_PROFILE[m - 1] for t, m in cells]
    counts = split_exactly(Decimal(total), weights)
    return [cell for cell, n in zip(cells, counts, strict=True) for _ in range(int(n))]


def _levels(rng: random.Random, total: int, senior: int, technicians: int) -> list[str]:
    others = rng.choices(
        [SkillLevel.JUNIOR, SkillLevel.INTERMEDIATE, SkillLevel.SENIOR_TECHNICIAN],
        weights=[4, 6, 0.3],
        k=total - senior - technicians,
    )
    levels = [SkillLevel.SENIOR] * senior + [SkillLevel.TECHNICIAN] * technicians + others
    rng.shuffle(levels)
    return levels


def _certificates(
    year: int,
    townships: list[OrgUnit],
    bodies: list[CertificationBody],
    through_month: int = 12,
    *,
    batch: RecordsBatch,
) -> int:
    rng = random.Random("talent/certificates")
    share = sum(F.MONTH_PROFILE[:through_month]) / sum(F.MONTH_PROFILE)
    total, senior, technicians = (round(n * share) for n in (CERTIFICATES, SENIOR, TECHNICIANS))
    records = []
    cells = _certificate_cells(townships, rng, through_month, total)
    for i, ((township, month), level) in enumerate(
        zip(cells, _levels(rng, total, senior, technicians), strict=True), start=1
    ):
        issued = date(year, month, rng.randint(1, 28))
        records.append(
            SkillCertificate(
                number=f"Y{year}{township.code}{i:05d}",
                holder_name=person_name(rng),
                org_unit=township,
                issued_on=issued,
                occupation=rng.choice(OCCUPATIONS),
                level=level,
                body=rng.choice([b for b in bodies if b.recognised_on <= issued]),
                remark=DEMO_REMARK,
            )
        )
    _write(SkillCertificate, records, batch=batch)
    return len(records)


def demo_registers_load(
    year: int, townships: list[OrgUnit], *, through_month: int = 12, batch: RecordsBatch
) -> dict[str, int]:
    """The year's records; a year in progress (through_month < 12) gets only its certificates, January
    to that month, the year's numbers scaled to the months' share of the profile."""
    city = OrgUnit.objects.get(code=CITY_CODE)
    _clear(year, batch=batch)
    bodies = _bodies(batch=batch)
    if through_month < 12:
        return {
            "recruitment_plans": _plans(year, city, through_month, batch=batch),
            "campus_recruitment": _campus(year, city, through_month, batch=batch),
            "certification_bodies": len(bodies) + len(_bodies_of_year(year, through_month, batch=batch)),
            "skill_certificates": _certificates(year, townships, bodies, through_month, batch=batch),
        }
    return {
        "recruitment_plans": _plans(year, city, batch=batch),
        "campus_recruitment": _campus(year, city, batch=batch),
        "certification_bodies": len(bodies) + len(_bodies_of_year(year, through_month, batch=batch)),
        "skill_competitions": _competitions(year, batch=batch),
        "skill_certificates": _certificates(year, townships, bodies, batch=batch),
    }
