"""The database keeps the security log append-only, whoever writes SQL (the ORM, a shell, a script):

- PostgreSQL: a row trigger refuses every UPDATE, and every DELETE but the one audit_purge() makes of
  entries at least 180 days old. audit_purge(cutoff) is SECURITY DEFINER (it runs as the tables' owner
  even when the portal connects as a role that only holds INSERT and SELECT on the log), refuses a cutoff
  younger than 180 days, deletes the oldest entries up to the first one at or after it and records where
  the chain now starts.
- SQLite (the quick start): the same refusal by triggers; the purge is done in Python (audit.services).

Only the tables' owner can drop a trigger (deployment: the portal's role should not own them; see
docs/security/)."""

from django.db import migrations

PG_FORWARD = """
CREATE FUNCTION audit_securityevent_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('audit.purging', true) = 'on'
     AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '安全审计日志只能追加,不能修改或删除(%)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_securityevent_append_only BEFORE UPDATE OR DELETE ON audit_securityevent
  FOR EACH ROW EXECUTE FUNCTION audit_securityevent_guard();

CREATE FUNCTION audit_purge(cutoff timestamptz) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public AS $$
DECLARE
  last_seq bigint;
  last_hash varchar(64);
  purged integer;
BEGIN
  IF cutoff > now() - interval '180 days' THEN
    RAISE EXCEPTION '安全审计日志至少保存180天,不能清理%之后的记录', cutoff USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM 1 FROM audit_chainhead WHERE id = 1 FOR UPDATE;
  -- The oldest entries, up to the first one at or after the cutoff: the chain is cut at one place.
  SELECT seq, hash INTO last_seq, last_hash FROM audit_securityevent
   WHERE seq < coalesce((SELECT min(seq) FROM audit_securityevent WHERE at >= cutoff), 9223372036854775807)
   ORDER BY seq DESC LIMIT 1;
  IF last_seq IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM set_config('audit.purging', 'on', true);
  DELETE FROM audit_securityevent WHERE seq <= last_seq;
  GET DIAGNOSTICS purged = ROW_COUNT;
  PERFORM set_config('audit.purging', 'off', true);
  UPDATE audit_chainhead SET purged_through_seq = last_seq, purged_through_hash = last_hash WHERE id = 1;
  RETURN purged;
END $$;
"""

PG_BACKWARD = """
DROP TRIGGER audit_securityevent_append_only ON audit_securityevent;
DROP FUNCTION audit_securityevent_guard();
DROP FUNCTION audit_purge(timestamptz);
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_securityevent_no_update BEFORE UPDATE ON audit_securityevent
       BEGIN SELECT RAISE(ABORT, '安全审计日志只能追加,不能修改或删除(UPDATE)'); END""",
    """CREATE TRIGGER audit_securityevent_no_delete BEFORE DELETE ON audit_securityevent
       WHEN OLD.at >= datetime('now', '-180 days')
       BEGIN SELECT RAISE(ABORT, '安全审计日志只能追加,不能修改或删除(DELETE)'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER audit_securityevent_no_update",
    "DROP TRIGGER audit_securityevent_no_delete",
]


def forward(apps, schema_editor) -> None:
    _run(schema_editor, [PG_FORWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD)


def backward(apps, schema_editor) -> None:
    _run(schema_editor, [PG_BACKWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD)


def _run(schema_editor, statements: list[str]) -> None:
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
