"""Five levels (province → prefecture → county → township → village) instead of city → township →
village. The portal's own unit, the city 潜江市 (429005), was level "city" with no parent: it becomes
a county-level unit (its code is one) and stays the top of the tree, with 市本级 and its 23 townships
as before. No figure changes: completion rolls up by the closure table, which does not change."""

from django.db import migrations, models
from django.db.models import Q


def city_to_county(apps, schema_editor):
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    OrgUnit.objects.filter(level="city").update(level="county")


def county_to_city(apps, schema_editor):
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    if OrgUnit.objects.filter(level__in=["province", "prefecture"]).exists() or OrgUnit.objects.filter(
        level="county", parent__isnull=False
    ).exists():
        raise RuntimeError("有省、市(州)级或不在顶层的县级单位,无法退回只有市、区镇街道、村三级的结构。")
    OrgUnit.objects.filter(level="county").update(level="city")


LEVELS = [
    ("province", "省"),
    ("prefecture", "市(州)"),
    ("county", "县(市、区)"),
    ("township", "区镇街道"),
    ("village", "村(社区)"),
]
KINDS = [
    ("province", "省"),
    ("prefecture", "地级市(州)"),
    ("urban", "市辖区"),
    ("county", "县"),
    ("city", "县级市"),
    ("street", "街道"),
    ("town", "镇"),
    ("district", "管理区"),
    ("village", "村"),
    ("community", "社区"),
]


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="orgunit", name="orgunit_code_is_division_code"),
        migrations.RemoveConstraint(model_name="orgunit", name="orgunit_only_city_is_root"),
        migrations.AlterField(
            model_name="orgunit",
            name="level",
            field=models.CharField(choices=LEVELS + [("city", "市")], max_length=10, verbose_name="层级"),
        ),
        migrations.RunPython(city_to_county, county_to_city),
        migrations.AlterField(
            model_name="orgunit",
            name="level",
            field=models.CharField(choices=LEVELS, max_length=10, verbose_name="层级"),
        ),
        migrations.AlterField(
            model_name="orgunit",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=10, verbose_name="类别"),
        ),
        migrations.AddConstraint(
            model_name="orgunit",
            constraint=models.CheckConstraint(
                condition=Q(level="province", code__regex="^[0-9]{2}0000$")
                | Q(level="prefecture", code__regex="^[0-9]{2}([0-9][1-9]|[1-9][0-9])00$")
                | Q(level="county", code__regex="^[0-9]{4}([0-9][1-9]|[1-9][0-9])$")
                | Q(level="township", code__regex="^[0-9]{9}$")
                | Q(level="village", code__regex="^[0-9]{12}$"),
                name="orgunit_code_is_division_code",
                violation_error_message=(
                    "区划代码与层级不符:省为xx0000,市(州)为xxxx00,县(市、区)为6位,区镇街道为9位,村(社区)为12位数字。"
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="orgunit",
            constraint=models.CheckConstraint(
                condition=Q(level__in=["township", "village"], parent__isnull=False)
                | Q(level="province", parent__isnull=True)
                | Q(level__in=["prefecture", "county"]),
                name="orgunit_parent_by_level",
                violation_error_message="省没有上级;区镇街道和村(社区)必须有上级。",
            ),
        ),
    ]
