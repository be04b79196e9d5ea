"""On PostgreSQL the database itself keeps every fact with the indicator set of its own year: a monthly
value, quota, history row or rule of 2024 can only point at a 2024 indicator, and a "其中" part, a
ratio's numerator and denominator only at indicators of the same year. Composite foreign keys on
(indicator_id, year) → (id, year); deferred like Django's own. The services refuse the same in
Chinese first (indicators.services.value_problems); this is the guard for whatever bypasses them."""

from django.db import migrations

KEYS = [
    ("indicators_indicator", "indicator_parent_same_year", "parent_id"),
    ("indicators_indicator", "indicator_numerator_same_year", "numerator_id"),
    ("indicators_indicator", "indicator_denominator_same_year", "denominator_id"),
    ("indicators_monthlyvalue", "monthlyvalue_indicator_of_its_year", "indicator_id"),
    ("indicators_quota", "quota_indicator_of_its_year", "indicator_id"),
    ("indicators_figurechange", "figurechange_indicator_of_its_year", "indicator_id"),
    ("indicators_validationrule", "rule_indicator_of_its_year", "indicator_id"),
    ("indicators_validationrule", "rule_right_indicator_of_its_year", "right_indicator_id"),
]


def _forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE indicators_indicator ADD CONSTRAINT indicator_id_year_unique UNIQUE (id, year)"
    )
    for table, name, column in KEYS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({column}, year) "
            "REFERENCES indicators_indicator (id, year) DEFERRABLE INITIALLY DEFERRED"
        )


def _backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _ in KEYS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    schema_editor.execute("ALTER TABLE indicators_indicator DROP CONSTRAINT indicator_id_year_unique")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_year_sets")]

    operations = [migrations.RunPython(_forwards, _backwards)]
