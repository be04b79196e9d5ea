from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class OrgUnit(models.Model):
    """An administrative unit by its official division code (区划代码), at one of five levels: a
    province (420000), a prefecture (420100), a county-level unit (429005), a township (429005001),
    a village or community (429005001001). The significant digits grow 2 → 4 → 6 → 9 → 12 and a
    unit's code begins with its parent's significant digits.

    A portal holds one tree, whose top (the unit without a parent) is the portal's own unit: 潜江市 in
    Qianjiang's portal, a county-level city (省直管县级市) with its 23 townships; a province's portal
    has the province on top, where 潜江市 sits directly under it (no prefecture: 省直管). Every unit
    above the township keeps figures of its own (本级, the city's 市本级) beside those of the units
    below it."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        PREFECTURE = "prefecture", "市(州)"
        COUNTY = "county", "县(市、区)"
        TOWNSHIP = "township", "区镇街道"
        VILLAGE = "village", "村(社区)"

    # The city's level before the province's levels: 潜江市 is a county-level unit. Kept for code (and
    # the report's tests) written before them; Django's choices refuse a second member of one value.
    Level.CITY = Level.COUNTY

    class Kind(models.TextChoices):
        PROVINCE = "province", "省"
        PREFECTURE = "prefecture", "地级市(州)"
        URBAN = "urban", "市辖区"
        COUNTY = "county", "县"
        CITY = "city", "县级市"
        STREET = "street", "街道"
        TOWN = "town", "镇"
        DISTRICT = "district", "管理区"
        VILLAGE = "village", "村"
        COMMUNITY = "community", "社区"

    # From the top down. Units above the township keep figures of their own (本级) and have townships
    # under them: the city-wide report file, the month sheet of every indicator, the registers' 本级.
    LEVELS = ("province", "prefecture", "county", "township", "village")
    UPPER_LEVELS = ("province", "prefecture", "county")
    # The digits of the code that are the unit's own (the rest of a 6-digit code are zeros).
    SIGNIFICANT_DIGITS = {"province": 2, "prefecture": 4, "county": 6, "township": 9, "village": 12}
    # Where a unit may hang. A county-level unit directly under a province is 省直管 (潜江、仙桃、天门).
    PARENT_LEVELS = {
        "province": (),
        "prefecture": ("province",),
        "county": ("prefecture", "province"),
        "township": ("county",),
        "village": ("township",),
    }

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", code__regex=r"^[0-9]{2}0000$")
                | Q(level="prefecture", code__regex=r"^[0-9]{2}([0-9][1-9]|[1-9][0-9])00$")
                | Q(level="county", code__regex=r"^[0-9]{4}([0-9][1-9]|[1-9][0-9])$")
                | Q(level="township", code__regex=r"^[0-9]{9}$")
                | Q(level="village", code__regex=r"^[0-9]{12}$"),
                name="orgunit_code_is_division_code",
                violation_error_message=(
                    "区划代码与层级不符:省为xx0000,市(州)为xxxx00,县(市、区)为6位,区镇街道为9位,村(社区)为12位数字。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(level__in=["township", "village"], parent__isnull=False)
                | Q(level="province", parent__isnull=True)
                | Q(level__in=["prefecture", "county"]),
                name="orgunit_parent_by_level",
                violation_error_message="省没有上级;区镇街道和村(社区)必须有上级。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @property
    def is_root(self) -> bool:
        """The portal's own unit, the top of its tree."""
        return self.parent_id is None

    @property
    def is_upper(self) -> bool:
        """Above the township: keeps figures of its own (本级) beside its townships'."""
        return self.level in self.UPPER_LEVELS

    @property
    def is_city(self) -> bool:
        """The name before the province's levels, for code written before them: above the township."""
        return self.is_upper

    @property
    def prefix(self) -> str:
        """The code's own digits, which every unit under this one begins with."""
        return self.code[: self.SIGNIFICANT_DIGITS.get(self.level, len(self.code))]

    def clean(self) -> None:
        parent = self.parent if self.parent_id else None
        if parent is None:
            return
        if parent.level not in self.PARENT_LEVELS.get(self.level, ()):
            raise ValidationError(
                {
                    "parent": f"{self.get_level_display()}不能直属于{parent.get_level_display()}“{parent.name}”。"
                }
            )
        if not self.code.startswith(parent.prefix):
            raise ValidationError(
                {"code": f"区划代码“{self.code}”不在上级“{parent.name}”({parent.code})的代码段内。"}
            )


class OrgUnitClosure(models.Model):
    """Every (ancestor, descendant) pair, itself included at depth 0. The completion engine rolls
    figures up with one join on this table, whatever the depth of the hierarchy, and every scope rule
    asks it for a unit's subtree."""

    ancestor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "组织机构层级关系"
        constraints = [
            models.UniqueConstraint(fields=["descendant", "ancestor"], name="orgclosure_unique_pair")
        ]
        indexes = [models.Index(fields=["ancestor", "descendant"], name="orgclosure_ancestor")]

    def __str__(self) -> str:
        return f"{self.ancestor_id}→{self.descendant_id}"
