"""The account's unit is no longer only a township's: bureau and leadership accounts belong to a unit
too (a province's, a prefecture's, a county's bureau), and reach what lies under it. Without one they
belong to the portal's own unit, the top of the tree, which is what they saw before."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_identification"),
        ("orgs", "0002_levels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="org_unit",
            field=models.ForeignKey(
                blank=True,
                help_text="只能看到本单位及下级单位的数据。区镇街道用户必须指定;局业务科室和领导不指定即为本门户的顶层单位(如潜江市)。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="orgs.orgunit",
                verbose_name="所属单位",
            ),
        ),
    ]
