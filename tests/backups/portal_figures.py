"""What the portal shows, read through the application (ORM and selectors) as exact text, so that the
portal before a backup and after its restore can be compared: every completion cell, monthly value and
quota (tests/demo/figures_dump.py), the registers' summaries, the whole history of figure changes, and
every submission with its values and the bytes of its stored file.

    DJANGO_SETTINGS_MODULE=qianjiang_hrss.settings.test DATABASE_URL=... DJANGO_MEDIA_ROOT=... \\
        python -m tests.backups.portal_figures OUT.json

reads the database and MEDIA_ROOT it is pointed at (the restored ones) and writes the same dump."""

from __future__ import annotations

import hashlib
import json
import sys

from tests.demo.figures_dump import _completion, _monthly_values, _plain, _quotas, _registers


def _figure_changes() -> list[list]:
    from indicators.models import FigureChange

    fields = [f.attname for f in FigureChange._meta.concrete_fields]
    rows = FigureChange.objects.order_by("id").values_list(*fields)
    return [_plain([str(v) if hasattr(v, "isoformat") else v for v in row]) for row in rows]


def _submissions() -> list[dict]:
    from reporting.models import Submission

    out = []
    for submission in Submission.objects.order_by("id").prefetch_related("values"):
        with submission.file.open("rb") as stored:
            content = stored.read()
        out.append(
            {
                "id": submission.pk,
                "cell": [submission.township.code, submission.year, submission.month, submission.version],
                "status": submission.status,
                "return_reason": submission.return_reason,
                "file": submission.file.name,
                "file_sha256_recorded": submission.file_sha256,
                "file_sha256": hashlib.sha256(content).hexdigest(),
                "file_bytes": len(content),
                "reviewed_by": submission.reviewed_by.username if submission.reviewed_by else None,
                "values": sorted(
                    _plain([v.indicator_id, v.value, v.remark, v.sheet, v.row])
                    for v in submission.values.all()
                ),
            }
        )
    return out


def portal_figures() -> dict:
    return {
        "completion": _completion(),
        "monthly_values": _monthly_values(),
        "quotas": _quotas(),
        "registers": _registers(),
        "figure_changes": _figure_changes(),
        "submissions": _submissions(),
    }


def main(out_path: str) -> None:
    import django

    django.setup()
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(portal_figures(), out, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
