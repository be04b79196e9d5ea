from django.db import models
from django.db.models import Q


class OrgUnit(models.Model):
    """An administrative unit by its official division code (区划代码): the city 429005,
    its 23 townships (9 digits), their villages and communities (12 digits)."""

    class Level(models.TextChoices):
        CITY = "city", "市"
        TOWNSHIP = "township", "区镇街道"
        VILLAGE = "village", "村(社区)"

    class Kind(models.TextChoices):
        CITY = "city", "市本级"
        STREET = "street", "街道"
        TOWN = "town", "镇"
        DISTRICT = "district", "管理区"
        VILLAGE = "village", "村"
        COMMUNITY = "community", "社区"

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
                condition=Q(code__regex=r"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$"),
                name="orgunit_code_is_division_code",
                violation_error_message="区划代码须为6位(市)、9位(区镇街道)或12位(村、社区)数字。",
            ),
            models.CheckConstraint(
                condition=Q(level="city", parent__isnull=True) | Q(~Q(level="city"), parent__isnull=False),
                name="orgunit_only_city_is_root",
                violation_error_message="只有市级没有上级;区镇街道和村(社区)必须有上级。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @property
    def is_city(self) -> bool:
        return self.level == self.Level.CITY


class OrgUnitClosure(models.Model):
    """Every (ancestor, descendant) pair, itself included at depth 0. The completion engine rolls
    figures up with one join on this table, whatever the depth of the hierarchy."""

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
