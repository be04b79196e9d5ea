"""A figure's history names the township report its approval came from (FigureChange.submission_pk,
indicators 0009), so provenance reaches the submission without reading the history's note.

- Changes approved before this: the note the approval wrote ("月报第2版(提交#17)") is read once, here,
  and never again; a note naming a submission that no longer exists is left unlinked.
- On PostgreSQL the column becomes a foreign key to the submission (deferred like Django's own): an
  approved report can then never be deleted from under the figures it set. Declared here, not on the
  model, because indicators sits below reporting and must not import it."""

import re

from django.db import migrations

NOTE = re.compile(r"提交#(\d+)\)")
CONSTRAINT = "figurechange_submission_pk_fk"


def _link_approved_changes(apps, schema_editor):
    FigureChange = apps.get_model("indicators", "FigureChange")
    Submission = apps.get_model("reporting", "Submission")
    by_submission: dict[int, list[int]] = {}
    rows = FigureChange.objects.filter(channel="upload", submission_pk__isnull=True).values_list("id", "note")
    for change_id, note in rows.iterator():
        found = NOTE.search(note or "")
        if found:
            by_submission.setdefault(int(found.group(1)), []).append(change_id)
    existing = set(Submission.objects.filter(pk__in=by_submission).values_list("pk", flat=True))
    for submission_pk, change_ids in by_submission.items():
        if submission_pk in existing:
            FigureChange.objects.filter(pk__in=change_ids).update(submission_pk=submission_pk)


def _add_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE indicators_figurechange ADD CONSTRAINT {CONSTRAINT} FOREIGN KEY (submission_pk) "
        "REFERENCES reporting_submission (id) DEFERRABLE INITIALLY DEFERRED"
    )


def _drop_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE indicators_figurechange DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0007_submissionvalue_explanation"),
        ("indicators", "0009_figurechange_submission_pk"),
    ]

    operations = [
        migrations.RunPython(_link_approved_changes, migrations.RunPython.noop),
        migrations.RunPython(_add_foreign_key, _drop_foreign_key),
    ]
