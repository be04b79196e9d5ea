"""The "其中" trigger, rewritten to cost two index lookups for an ordinary indicator. The first version
ran a join with an OR per row, so a 288,000-row load spent minutes in COMMIT (benchmark finding)."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION indicators_part_within_whole() RETURNS trigger AS $$
DECLARE
    whole_id bigint;
    bad record;
BEGIN
    -- The deferred check reads the row's current state: it may have changed since this event.
    SELECT i.parent_id INTO whole_id FROM indicators_indicator i WHERE i.id = NEW.indicator_id;
    IF whole_id IS NULL THEN
        -- Not a part. Is it a whole? (indicators_indicator_parent_id index)
        IF NOT EXISTS (SELECT 1 FROM indicators_indicator WHERE parent_id = NEW.indicator_id) THEN
            RETURN NULL;
        END IF;
        whole_id := NEW.indicator_id;
    END IF;
    SELECT p.name AS part_name, pv.value AS part_value, w.name AS whole_name, wv.value AS whole_value INTO bad
    FROM indicators_indicator w
    JOIN indicators_monthlyvalue wv ON wv.year = NEW.year AND wv.indicator_id = w.id
        AND wv.org_unit_id = NEW.org_unit_id AND wv.month = NEW.month
    JOIN indicators_indicator p ON p.parent_id = w.id
    JOIN indicators_monthlyvalue pv ON pv.year = NEW.year AND pv.indicator_id = p.id
        AND pv.org_unit_id = NEW.org_unit_id AND pv.month = NEW.month
    WHERE w.id = whole_id AND pv.value > wv.value
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'check_violation',
            CONSTRAINT = 'monthly_value_part_within_whole',
            MESSAGE = format('“%s”(%s)不能大于它所属的“%s”(%s)(%s年%s月)。',
                bad.part_name, trim_scale(bad.part_value), bad.whole_name, trim_scale(bad.whole_value),
                NEW.year, NEW.month);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def _forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, None)  # None: the SQL has literal %s (format())


def _backwards(apps, schema_editor):
    """The previous function body is restored by re-running migration 0002's SQL."""
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        previous = import_module("indicators.migrations.0002_part_within_whole_trigger")
        body = previous.CREATE.split("CREATE CONSTRAINT TRIGGER")[0]
        schema_editor.execute(body, None)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_part_within_whole_trigger")]

    operations = [migrations.RunPython(_forwards, _backwards)]
