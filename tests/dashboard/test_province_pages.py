"""The leadership pages of a province's portal (#26): the scorecard and the warnings show the unit in
view and the level below it (a province its prefectures and the counties directly under it, a
prefecture its counties), never a unit outside the account's; the warnings come worst first, one page
at a time from the server, and their rows link without a URL reverse each."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import dashboard.views
from accounts.models import User
from completion.services import completion_recompute
from indicators.models import Channel
from indicators.services import ValueEntry, monthly_values_apply, quota_set
from orgs.models import OrgUnit
from orgs.services import org_closure_rebuild

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
YEAR, MONTH = 2024, 3
CODES = ("employment.urban_new_jobs", "employment.unemployed_reemployed", "talent.skill_certificates")

# (code, level, parent)
TREE = [
    ("420000", "province", None),
    ("420100", "prefecture", "420000"),
    ("420500", "prefecture", "420000"),
    ("420102", "county", "420100"),
    ("420103", "county", "420100"),
    ("420502", "county", "420500"),
    ("429005", "county", "420000"),  # 省直管
    ("420102001", "township", "420102"),
    ("420103001", "township", "420103"),
    ("420502001", "township", "420502"),
    ("429005001", "township", "429005"),
]
TOWNSHIPS = [code for code, level, _ in TREE if level == "township"]


@pytest.fixture
def province(typed_by_hand) -> dict[str, OrgUnit]:
    """Every unit a quota of each of CODES; every township far behind on each (10 of a year's 1,000)."""
    units: dict[str, OrgUnit] = {}
    for order, (code, level, parent) in enumerate(TREE):
        kind = {"province": "province", "prefecture": "prefecture", "county": "urban"}.get(level, "street")
        units[code] = OrgUnit.objects.create(
            code=code, name=f"单位{code}", level=level, kind=kind, parent=units.get(parent), sort_order=order
        )
    org_closure_rebuild()
    for code in CODES:
        for unit in units.values():
            quota_set(indicator=typed_by_hand[code], org_unit=unit, year=YEAR, target=Decimal(1000), user=None,
                      channel=Channel.COMMAND)  # fmt: skip
    entries = [
        ValueEntry(
            indicator=typed_by_hand[code], org_unit=units[t], year=YEAR, month=MONTH, value=Decimal(10 + n)
        )
        for code in CODES
        for n, t in enumerate(TOWNSHIPS)
    ]
    monthly_values_apply(entries=entries, user=None, channel=Channel.COMMAND)
    completion_recompute(year=YEAR)
    return units


def _leader(client, units, code: str):
    user = User.objects.create_user(
        f"leader-{code}", password="pw", role=User.Role.LEADER, org_unit=units[code]
    )
    client.force_login(user)
    return client


def _get(client, name: str, **query):
    return client.get(f"/dashboard/{name}/", {"year": YEAR, "month": MONTH, **query})


def test_the_provinces_scorecard_ranks_the_level_below_it_and_a_prefecture_in_view_its_counties(
    client, province
):
    leader = _leader(client, province, "420000")
    card = _get(leader, "scorecard").context["scorecard"]
    assert card.city.org_code == "420000"
    assert sorted(r.org_code for r in card.townships) == ["420100", "420500", "429005"]
    card = _get(leader, "scorecard", org="420100").context["scorecard"]
    assert card.city.org_code == "420100"
    assert sorted(r.org_code for r in card.townships) == ["420102", "420103"]


def test_a_prefectures_leader_is_refused_another_prefectures_scorecard_and_warnings(client, province):
    leader = _leader(client, province, "420100")
    assert _get(leader, "scorecard").context["scorecard"].city.org_code == "420100"
    assert _get(leader, "scorecard", org="420500").status_code == 403
    assert _get(leader, "warnings", org="420500").status_code == 403
    assert _get(leader, "warnings", org="420000").status_code == 403


def test_the_warnings_of_a_unit_in_view_are_its_own_and_the_level_belows(client, province):
    leader = _leader(client, province, "420000")
    page = _get(leader, "warnings")
    codes = {r.org_code for r in page.context["rows"]}
    assert codes == {"420000", "420100", "420500", "429005"}  # all behind; no county, no township
    codes = {r.org_code for r in _get(leader, "warnings", org="420100").context["rows"]}
    assert codes == {"420100", "420102", "420103"}
    codes = {r.org_code for r in _get(leader, "warnings", org="420102001").context["rows"]}
    assert codes == {"420102001"}


def test_the_warnings_come_worst_first_one_page_at_a_time(client, province, monkeypatch):
    monkeypatch.setattr(dashboard.views, "WARNINGS_PAGE_SIZE", 5)
    leader = _leader(client, province, "420000")
    first, second, third = (_get(leader, "warnings", page=n, sort="gap") for n in (1, 2, 3))
    rows = [*first.context["rows"], *second.context["rows"], *third.context["rows"]]
    assert [len(p.context["rows"]) for p in (first, second, third)] == [5, 5, 2]
    assert len({(r.org_code, r.indicator.code) for r in rows}) == 12 == first.context["total"]
    assert [r.gap for r in rows] == sorted(r.gap for r in rows)  # worst gap first, across the pages
    assert "共12项" in first.content.decode()
    assert "page=2" in first.content.decode() and "page=1" in second.content.decode()
    beyond = _get(leader, "warnings", page=99, sort="gap")
    assert [r.org_code for r in beyond.context["rows"]] == [r.org_code for r in third.context["rows"]]


def test_a_warnings_row_links_without_a_reverse_of_its_own(client, province):
    table = (ROOT / "templates" / "dashboard" / "_warnings_table.html").read_text()
    assert "{% url" not in table
    leader = _leader(client, province, "420000")
    html = _get(leader, "warnings").content.decode()
    assert f'href="/dashboard/townships/420100/?year={YEAR}&month={MONTH}"' in html
    assert f'href="/dashboard/indicators/{CODES[0]}/?year={YEAR}&month={MONTH}"' in html
