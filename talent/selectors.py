"""Year summaries of the talent registers, as the bureau's annual report states them; each is one
aggregate query over the records its reader may see (`scope`, required: a township user's summary adds
up its own township's records, and the city's own records only count for those who see the city)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from accounts.permissions import RecordScope

from . import models as talent


def _ints(row: dict) -> dict[str, int]:
    return {key: int(value or 0) for key, value in row.items()}


def recruitment_year_summary(*, year: int, scope: RecordScope) -> dict[str, int]:
    """事业单位公开招聘: plans, posts, applicants and hires in a year."""
    return _ints(
        scope.records(talent.RecruitmentPlan.objects.filter(year=year)).aggregate(
            plans=Count("id"),
            posts=Coalesce(Sum("posts"), 0),
            applicants=Coalesce(Sum("applicants"), 0),
            hired=Coalesce(Sum("hired"), 0),
        )
    )


def campus_recruitment_year_summary(*, year: int, scope: RecordScope) -> dict[str, int]:
    """校园招聘: how many universities were visited (a university visited twice counts once), applicants,
    signed, of which master's and above."""
    return _ints(
        scope.records(talent.CampusRecruitment.objects.filter(held_on__year=year)).aggregate(
            universities=Count("university", distinct=True),
            events=Count("id"),
            applicants=Coalesce(Sum("applicants"), 0),
            signed=Coalesce(Sum("signed"), 0),
            masters=Coalesce(Sum("masters"), 0),
        )
    )


def certificate_year_summary(*, year: int, scope: RecordScope) -> dict[str, int]:
    """Certificates issued in a year, in all and per level; and the certification bodies recognised."""
    levels = {
        level.value: Count("id", filter=Q(level=level.value))
        for level in talent.SkillLevel  # type: ignore[attr-defined]
    }
    certificates = scope.records(talent.SkillCertificate.objects.filter(issued_on__year=year))
    row = certificates.aggregate(total=Count("id"), **levels)
    row["new_bodies"] = scope.city_records(
        talent.CertificationBody.objects.filter(recognised_on__year=year)
    ).count()
    return _ints(row)


def competition_year_summary(*, year: int, scope: RecordScope) -> dict:
    """Competitions in a year by level, those the city hosted and their contestants, and prizes won
    by competition level and prize."""
    competitions = scope.city_records(talent.SkillCompetition.objects.filter(held_on__year=year))
    by_level = dict(competitions.values_list("level").annotate(n=Count("id")).order_by())
    hosted = competitions.filter(hosted=True).aggregate(
        n=Count("id"), contestants=Coalesce(Sum("contestants"), 0)
    )
    awards = (
        scope.city_records(talent.CompetitionAward.objects.filter(competition__held_on__year=year))
        .values_list("competition__level", "prize")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "competitions": sum(by_level.values()),
        "by_level": {label: by_level.get(value, 0) for value, label in talent.SkillCompetition.Level.choices},
        "hosted": hosted["n"],
        "hosted_contestants": int(hosted["contestants"]),
        "awards": [
            {
                "level": talent.SkillCompetition.Level(level).label,
                "prize": talent.CompetitionAward.Prize(prize).label,
                "count": n,
            }
            for level, prize, n in awards
        ],
    }
