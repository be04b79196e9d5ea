"""Unemployment-insurance rate periods never overlap: the model's clean() says so in Chinese, and on
PostgreSQL an exclusion constraint guards it too (two people saving at once). The seed is the two
periods the bureau's report names:

- 2% = 1.5% employer + 0.5% individual "before" the cut. The report only says "down from 2%"; the
  start 2017-01-01 is an assumption that gives the calculator a previous rate to compare against.
- 1% = 0.7% + 0.3% from 2023-05-01 through 2025-12-31 (the 2025 plan: "延续至2025年12月31日").

No rate is seeded from 2026-01-01: whatever applies then is a new policy the bureau enters itself."""

from datetime import date
from decimal import Decimal

from django.db import migrations

EXCLUDE = """
ALTER TABLE social_insurance_unemploymentinsurancerate
    ADD CONSTRAINT unemployment_rate_no_overlap
    EXCLUDE USING gist (daterange(valid_from, valid_to, '[]') WITH &&);
"""
DROP = "ALTER TABLE social_insurance_unemploymentinsurancerate DROP CONSTRAINT IF EXISTS unemployment_rate_no_overlap;"

RATES = [
    (
        date(2017, 1, 1),
        date(2023, 4, 30),
        Decimal("1.5"),
        Decimal("0.5"),
        "失业保险原费率(单位1.5%、个人0.5%)",
        "起始日期2017-01-01为假定:工作报告只写“由2%下调”。",
    ),
    (
        date(2023, 5, 1),
        date(2025, 12, 31),
        Decimal("0.7"),
        Decimal("0.3"),
        "阶段性降低失业保险费率政策(总费率1%,延续至2025年12月31日)",
        "见潜江市人社局2024年工作总结和2025年工作计划。",
    ),
]


def exclusion_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUDE)


def exclusion_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def rates_seed(apps, schema_editor):
    Rate = apps.get_model("social_insurance", "UnemploymentInsuranceRate")
    for valid_from, valid_to, employer, individual, policy, remark in RATES:
        Rate.objects.get_or_create(
            valid_from=valid_from,
            defaults={
                "valid_to": valid_to,
                "employer_rate": employer,
                "individual_rate": individual,
                "policy_document": policy,
                "remark": remark,
            },
        )


def rates_unseed(apps, schema_editor):
    Rate = apps.get_model("social_insurance", "UnemploymentInsuranceRate")
    Rate.objects.filter(valid_from__in=[r[0] for r in RATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("social_insurance", "0001_initial")]

    operations = [
        migrations.RunPython(exclusion_add, exclusion_drop),
        migrations.RunPython(rates_seed, rates_unseed),
    ]
