"""A "其中" part can never exceed its whole in the same month. The services check this before writing;
on PostgreSQL the database enforces it too, with a deferred constraint trigger so that a batch may
write a whole and its parts in any order within one transaction."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION indicators_part_within_whole() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
    SELECT p.name AS part_name, mv.value AS part_value, w.name AS whole_name, wv.value AS whole_value INTO bad
    FROM indicators_monthlyvalue mv
    JOIN indicators_indicator p ON p.id = mv.indicator_id
    JOIN indicators_indicator w ON w.id = p.parent_id
    JOIN indicators_monthlyvalue wv ON wv.indicator_id = w.id AND wv.org_unit_id = mv.org_unit_id
        AND wv.year = mv.year AND wv.month = mv.month
    WHERE mv.org_unit_id = NEW.org_unit_id AND mv.year = NEW.year AND mv.month = NEW.month
        AND (mv.indicator_id = NEW.indicator_id OR p.parent_id = NEW.indicator_id)
        AND mv.value > wv.value
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

CREATE CONSTRAINT TRIGGER monthly_value_part_within_whole
    AFTER INSERT OR UPDATE ON indicators_monthlyvalue
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION indicators_part_within_whole();
"""

DROP = """
DROP TRIGGER IF EXISTS monthly_value_part_within_whole ON indicators_monthlyvalue;
DROP FUNCTION IF EXISTS indicators_part_within_whole();
"""


def _run(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: the SQL has literal %s (format())

    return run


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
