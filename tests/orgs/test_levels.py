"""Five levels with the structure of the official division codes: the database refuses a code that
is not its level's shape and a township without a parent; the write service refuses a unit under the
wrong level or outside its parent's code; the city stands as a county-level unit on top, with 市本级 and
its townships as before; moving a unit asks every computed year to be recomputed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from orgs.models import OrgUnit, OrgUnitClosure
from orgs.selectors import org_ancestor_ids, org_root
from orgs.services import org_unit_save

pytestmark = pytest.mark.django_db


def _unit(code, level, parent=None, kind="street") -> OrgUnit:
    return OrgUnit(code=code, name=f"单位{code}", level=level, kind=kind, parent=parent)


def test_the_city_is_a_county_level_unit_on_top_of_its_23_townships(orgs, city):
    assert (city.level, city.parent_id, city.is_root, city.is_upper) == ("county", None, True, True)
    assert org_root() == city
    townships = OrgUnit.objects.filter(parent=city)
    assert townships.count() == 23 and all(t.level == "township" and not t.is_upper for t in townships)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("420100", "province"),  # a province is xx0000
        ("420000", "prefecture"),  # a prefecture is xxxx00, not xx0000
        ("420100", "county"),  # a county's own two digits are not 00
        ("4290051", "county"),
        ("42900500", "township"),
        ("429005001", "village"),
    ],
)
def test_the_database_refuses_a_code_that_is_not_its_levels_shape(code, level):
    with pytest.raises(IntegrityError), transaction.atomic():
        _unit(code, level).save()


def test_the_database_refuses_a_township_or_village_without_a_parent_and_a_province_with_one():
    province = _unit("420000", "province", kind="province")
    province.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _unit("420102001", "township").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _unit("430000", "province", parent=province, kind="province").save()


def test_a_county_may_hang_under_a_prefecture_or_directly_under_the_province():
    province = org_unit_save(unit=_unit("420000", "province", kind="province"))
    prefecture = org_unit_save(unit=_unit("420100", "prefecture", province, kind="prefecture"))
    org_unit_save(unit=_unit("420102", "county", prefecture, kind="urban"))
    qianjiang = org_unit_save(unit=_unit("429005", "county", province, kind="city"))  # 省直管
    assert qianjiang.parent == province and not qianjiang.is_root


def test_the_service_refuses_a_unit_under_the_wrong_level_or_outside_its_parents_code():
    province = org_unit_save(unit=_unit("420000", "province", kind="province"))
    with pytest.raises(ValidationError) as wrong_level:
        org_unit_save(unit=_unit("420102001", "township", province))
    assert "区镇街道不能直属于省" in str(wrong_level.value)
    prefecture = org_unit_save(unit=_unit("420100", "prefecture", province, kind="prefecture"))
    with pytest.raises(ValidationError) as outside:
        org_unit_save(unit=_unit("420502", "county", prefecture, kind="urban"))
    assert "不在上级" in str(outside.value)


def test_every_unit_is_under_every_unit_above_it_in_the_closure():
    province = org_unit_save(unit=_unit("420000", "province", kind="province"))
    prefecture = org_unit_save(unit=_unit("420100", "prefecture", province, kind="prefecture"))
    county = org_unit_save(unit=_unit("420102", "county", prefecture, kind="urban"))
    township = org_unit_save(unit=_unit("420102001", "township", county))
    village = org_unit_save(unit=_unit("420102001001", "village", township, kind="village"))
    assert org_ancestor_ids([village.pk]) == {province.pk, prefecture.pk, county.pk, township.pk, village.pk}
    depth = OrgUnitClosure.objects.get(ancestor=province, descendant=village).depth
    assert depth == 4


def test_a_new_unit_asks_for_no_recompute_but_a_moved_one_does(orgs, city, indicators, put):
    from completion.models import RecomputeRequest
    from completion.services import completion_recompute

    put("employment.urban_new_jobs", "429005001", 2024, 3, 5)
    completion_recompute(year=2024)
    org_unit_save(unit=_unit("429005001009", "village", orgs["429005001"], kind="village"))
    assert not RecomputeRequest.objects.exists()  # a unit with no figures moves no roll-up
    village = OrgUnit.objects.get(code="429005001009")
    village.parent, village.code = orgs["429005002"], "429005002009"
    org_unit_save(unit=village)
    assert list(RecomputeRequest.objects.values_list("year", "indicator_ids")) == [(2024, None)]
