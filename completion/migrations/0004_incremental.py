"""Recompute requests say what changed (indicators and units; empty: the whole year, which is what
every request stored before meant), and runs say what they recomputed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("completion", "0003_recompute_request")]

    operations = [
        migrations.AddField(
            model_name="recomputerequest",
            name="indicator_ids",
            field=models.JSONField(blank=True, help_text="空表示全年全部指标", null=True, verbose_name="变更的指标"),
        ),
        migrations.AddField(
            model_name="recomputerequest",
            name="org_unit_ids",
            field=models.JSONField(blank=True, help_text="空表示全部单位", null=True, verbose_name="变更的单位"),
        ),
        migrations.AddField(
            model_name="completionrun",
            name="indicators",
            field=models.PositiveIntegerField(blank=True, help_text="空表示全部指标", null=True, verbose_name="重算指标数"),
        ),
        migrations.AddField(
            model_name="completionrun",
            name="org_units",
            field=models.PositiveIntegerField(blank=True, help_text="空表示全部单位", null=True, verbose_name="重算单位数"),
        ),
    ]
