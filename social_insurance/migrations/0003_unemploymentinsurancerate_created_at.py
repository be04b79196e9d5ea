"""The rate records are audited records like every register's (registers.AuditedRecord): they gain the
录入时间 the others have. A rate stored before has no known entry time: it takes its last change's."""

import django.utils.timezone
from django.db import migrations, models


def entered_when_last_changed(apps, schema_editor):
    rate = apps.get_model("social_insurance", "UnemploymentInsuranceRate")
    rate.objects.update(created_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("social_insurance", "0002_unemployment_rates_no_overlap_and_seed"),
    ]

    operations = [
        migrations.AddField(
            model_name="unemploymentinsurancerate",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="录入时间"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(entered_when_last_changed, migrations.RunPython.noop),
    ]
