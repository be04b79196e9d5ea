"""A backup restored into a new, empty database gives every figure back, exactly. The portal holds the
demo, the awkward figures and a township's report in two versions (one returned, one approved) with
their uploaded files; `manage.py backup_portal` and `restore_portal` run as the operator runs them
(subprocesses, the test cluster's own pg_dump and pg_restore); the restored portal is compared with the
original row by row, figure by figure and file by file, and recomputed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from accounts.models import User
from backups.archive import MEDIA
from backups.services import _prune
from completion.services import completion_recompute
from indicators.models import MonthlyValue, Quota
from orgs.models import OrgUnit
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_approve, submission_confirm, submission_return
from reporting.templates_xlsx import template_workbook
from tests.backups.portal_figures import portal_figures
from tests.demo.figures_dump import demo_load_and_compute
from tests.pg_cluster import pg_bin
from tests.reporting.conftest import fill

ROOT = Path(__file__).resolve().parents[2]
TOWNSHIP_A, JOBS, REEMPLOYED = "429005001", "employment.urban_new_jobs", "employment.unemployed_reemployed"


def _url(dbname: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{dbname}"


def manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    """python manage.py ... as the operator runs it, against `database` and `media`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qianjiang_hrss.settings.test",
        "DATABASE_URL": _url(database),
        "DJANGO_MEDIA_ROOT": str(media),
        "BACKUP_PG_BIN_DIR": str(pg_bin()),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def _connect(dbname: str):
    db = connection.settings_dict
    return psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=dbname
    )


def tables_dump(dbname: str) -> dict[str, list[str]]:
    """Every row of every table as PostgreSQL's own text for it (exact: numerics keep their scale),
    sorted; and every sequence's position."""
    with _connect(dbname) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        out = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT t::text FROM "{table}" AS t ORDER BY 1')
            out[table] = [row for (row,) in cursor.fetchall()]
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        out["(sequences)"] = sorted(f"{name}={value}" for name, value in cursor.fetchall())
    conn.close()
    return out


def database_is_empty(dbname: str) -> bool:
    with _connect(dbname) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        empty = cursor.fetchone()[0] == 0
    conn.close()
    return empty


def create_database() -> str:
    name = f"qj_restored_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:  # the test cluster's role is a superuser
        cursor.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _township_report_load() -> None:
    """Township A's November report: version 1 returned with a reason, version 2 approved (its figures
    replace the demo's, with their history), each with its original file kept."""
    township = OrgUnit.objects.get(code=TOWNSHIP_A)
    town = User.objects.create_user("town_a", password="pw", role=User.Role.TOWNSHIP, org_unit=township)
    bureau = User.objects.create_user("bureau", password="pw", role=User.Role.BUREAU, is_staff=True)
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        for version, values in enumerate(({JOBS: 130, REEMPLOYED: 40}, {JOBS: 125, REEMPLOYED: 41}), start=1):
            data = fill(template_workbook(township=township, year=2024, month=11), values)
            preview = submission_upload(
                user=town,
                township=township,
                year=2024,
                month=11,
                data=data,
                filename=f"园林街道11月-{version}.xlsx",
            )
            assert preview.ok, [str(p) for p in preview.problems]
            submitted = submission_confirm(submission=preview.submission, user=town)
            if version == 1:
                submission_return(
                    submission=submitted, user=bureau, reason="城镇新增就业人数与台账不符,请核实。"
                )
            else:
                submission_approve(submission=submitted, user=bureau)


def _years() -> list[int]:
    years = set(MonthlyValue.objects.values_list("year", flat=True))
    return sorted(years | set(Quota.objects.values_list("year", flat=True)))


@pytest.fixture(scope="module")
def run(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """Load, back up, restore into a new empty database, read both; then recompute the restored one.
    The loaded data is committed (pg_dump is another connection) and flushed at the end."""
    work = tmp_path_factory.mktemp("backup")
    media, restored_media, backups = work / "media", work / "restored-media", work / "backups"
    source = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        restored = create_database()
        try:
            with override_settings(MEDIA_ROOT=media):
                demo_load_and_compute(current_year=False)  # 2024: the two reports below are the only ones
                _township_report_load()
                years = _years()
                for year in years:
                    completion_recompute(year=year)
                figures = json.loads(json.dumps(portal_figures()))
            backup = manage("backup_portal", "--dir", str(backups), database=source, media=media)
            assert backup.returncode == 0, backup.stderr
            [archive] = backups.glob("qianjiang-*.tar")
            restore = manage("restore_portal", str(archive), database=restored, media=restored_media)
            assert restore.returncode == 0, restore.stderr
            out = work / "restored.json"
            dumped = manage("shell", "-c", f"from tests.backups.portal_figures import main; main({str(out)!r})",
                            database=restored, media=restored_media)  # fmt: skip
            assert dumped.returncode == 0, dumped.stderr
            result = {
                "archive": archive,
                "backup_output": backup.stdout,
                "restore_output": restore.stdout,
                "media": media,
                "restored_media": restored_media,
                "source": source,
                "source_tables": tables_dump(source),
                "restored_tables": tables_dump(restored),
                "source_figures": figures,
                "restored_figures": json.loads(out.read_text(encoding="utf-8")),
                "recomputes": [
                    manage("recompute_completion", "--year", str(y), database=restored, media=restored_media)
                    for y in years
                ],
            }
            result["recomputed_tables"] = tables_dump(restored)
            yield result
        finally:
            drop_database(restored)
            call_command("flush", verbosity=0, interactive=False)


def test_the_backup_and_restore_run_the_clusters_own_pg_dump_and_pg_restore(run):
    with tarfile.open(run["archive"]) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    version = subprocess.run([str(pg_bin() / "pg_dump"), "--version"], capture_output=True, text=True).stdout
    assert manifest["database"]["pg_dump_version"] in version
    assert (
        manifest["database"]["pg_dump_version"].split(".")[0]
        == manifest["database"]["server_version"].split(".")[0]
    )
    assert "备份完成" in run["backup_output"] and "恢复完成并已核对" in run["restore_output"]


def test_the_archive_holds_a_custom_format_dump_and_every_uploaded_file_with_checksums(run):
    with tarfile.open(run["archive"]) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert tar.extractfile("database.dump").read(5) == b"PGDMP"  # pg_dump's custom format
    uploaded = sorted(p.relative_to(run["media"]).as_posix() for p in run["media"].rglob("*") if p.is_file())
    assert len(uploaded) == 2 and sorted(manifest["media"]) == uploaded
    assert sorted(names) == sorted(["database.dump", "manifest.json", *(MEDIA + u for u in uploaded)])
    checked = subprocess.run(["sha256sum", "-c", run["archive"].name + ".sha256"], cwd=run["archive"].parent)
    assert checked.returncode == 0  # what an operator runs on an off-site copy


def test_every_row_of_every_table_and_every_sequence_comes_back_identical(run):
    source, restored = run["source_tables"], run["restored_tables"]
    assert sorted(source) == sorted(restored)
    assert [t for t in source if source[t] != restored[t]] == []
    assert sum(len(rows) for rows in source.values()) > 10000


def test_every_completion_cell_monthly_value_and_quota_comes_back_exactly(run):
    source, restored = run["source_figures"], run["restored_figures"]
    assert len(source["completion"]) > 4000 and len(source["monthly_values"]) > 1000 and source["quotas"]
    for part in ("completion", "monthly_values", "quotas"):
        assert restored[part] == source[part], part
    assert restored["completion"]["labor_relations.wages_recovered|429005|2024|12"][0] == "1545.748200"
    assert restored["monthly_values"][f"{JOBS}|{TOWNSHIP_A}|2024|11"][:3] == ["125.000000", "", "upload"]


def test_the_whole_history_of_figure_changes_comes_back(run):
    source, restored = run["source_figures"]["figure_changes"], run["restored_figures"]["figure_changes"]
    assert restored == source
    assert len(source) > 1000
    # The approved upload's change: channel upload, by the bureau's reviewer, 125 over the demo's figure,
    # naming the report it came from.
    from indicators.models import FigureChange

    at = {f.attname: i for i, f in enumerate(FigureChange._meta.concrete_fields)}  # the rows' columns
    assert any(
        row[at["channel"]] == "upload"
        and row[at["changed_by_name"]]
        and row[at["new_value"]] == "125.000000"
        and row[at["submission_pk"]]
        for row in source
    )


def test_every_register_record_and_register_summary_comes_back(run):
    source, restored = run["source_tables"], run["restored_tables"]
    registers = [t for t in source if t.split("_", 1)[0] in ("employment", "social", "talent", "labor")]
    assert len([t for t in registers if source[t]]) >= 10
    assert {t: restored[t] for t in registers} == {t: source[t] for t in registers}
    assert run["restored_figures"]["registers"] == run["source_figures"]["registers"]


def test_every_submission_and_its_file_comes_back_byte_for_byte(run):
    source, restored = run["source_figures"]["submissions"], run["restored_figures"]["submissions"]
    assert [s["status"] for s in source] == ["returned", "approved"]
    assert restored == source
    for submission in restored:
        assert submission["file_sha256"] == submission["file_sha256_recorded"]
        original = (run["media"] / submission["file"]).read_bytes()
        assert (run["restored_media"] / submission["file"]).read_bytes() == original


def test_a_recompute_on_the_restored_database_changes_nothing(run):
    outputs = [r.stdout for r in run["recomputes"]]
    assert all(r.returncode == 0 for r in run["recomputes"]), [r.stderr for r in run["recomputes"]]
    assert len(outputs) >= 2 and all(re.search(r"变化 0 格", out) for out in outputs), outputs
    assert all(int(re.search(r"计算 (\d+) 格", out).group(1)) > 0 for out in outputs if "2024年" in out)
    assert run["recomputed_tables"]["completion_completion"] == run["source_tables"]["completion_completion"]


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(run, tmp_path):
    before = tables_dump(run["source"])

    refused = manage("restore_portal", str(run["archive"]), database=run["source"], media=tmp_path)

    assert refused.returncode != 0
    assert "不是空的" in refused.stderr and "未做任何改动" in refused.stderr
    assert tables_dump(run["source"]) == before
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_a_damaged_archive_before_writing_anything(run, tmp_path, django_db_blocker):
    damaged = tmp_path / run["archive"].name
    data = bytearray(run["archive"].read_bytes())
    with tarfile.open(run["archive"]) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(MEDIA))
    data[member.offset_data + 100] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with django_db_blocker.unblock():
        empty = create_database()
    try:
        refused = manage("restore_portal", str(damaged), database=empty, media=tmp_path / "media")
        assert refused.returncode != 0
        assert f"{member.name} 已损坏" in refused.stderr
        assert database_is_empty(empty) and not (tmp_path / "media").exists()
    finally:
        with django_db_blocker.unblock():
            drop_database(empty)


def test_a_backup_is_refused_when_an_uploaded_file_no_longer_matches_its_record(run, tmp_path):
    """A township's file changed on disk after upload (damage, a hand edit): no backup that looks good."""
    media = tmp_path / "media"
    subprocess.run(["cp", "-a", str(run["media"]), str(media)], check=True)
    changed = next(p for p in media.rglob("*.xlsx"))
    changed.write_bytes(changed.read_bytes() + b"\0")

    refused = manage("backup_portal", "--dir", str(tmp_path / "out"), database=run["source"], media=media)

    assert refused.returncode != 0
    assert "SHA-256与上传时记录的不符" in refused.stderr and "没有留下备份文件" in refused.stderr
    assert not list((tmp_path / "out").glob("*.tar"))


def test_keep_removes_only_the_oldest_archives_the_command_wrote(tmp_path):
    names = [f"qianjiang-2025010{d}-023000.tar" for d in range(1, 5)]
    for name in [*names, "notes.txt", "qianjiang-manual.tar"]:
        (tmp_path / name).write_text("x")
        (tmp_path / f"{name}.sha256").write_text("x")

    removed = _prune(tmp_path, 2)

    assert [p.name for p in removed] == names[:2]
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".sha256"))
    assert left == sorted([*names[2:], "notes.txt", "qianjiang-manual.tar"])


def test_a_backup_taken_while_a_preview_waits_to_be_confirmed_is_not_refused(
    run, tmp_path, django_db_blocker
):
    """A draft keeps its file in its row until it is confirmed (reporting/drafts.py): there is no file
    on disk to find, and the backup must not look for one."""
    with django_db_blocker.unblock():
        township = OrgUnit.objects.get(code=TOWNSHIP_A)
        town = User.objects.get(username="town_a")
        with time_machine.travel("2024-12-06 10:00 +0800", tick=False):
            data = fill(template_workbook(township=township, year=2024, month=11), {JOBS: 127})
            preview = submission_upload(
                user=town, township=township, year=2024, month=11, data=data, filename="园林街道11月-3.xlsx"
            )
        assert preview.ok, preview.problems
    try:
        backup = manage(
            "backup_portal", "--dir", str(tmp_path / "out"), database=run["source"], media=run["media"]
        )
        assert backup.returncode == 0, backup.stderr
        assert "备份完成" in backup.stdout
    finally:
        with django_db_blocker.unblock():
            preview.submission.delete()
