"""Back up and restore the portal: the PostgreSQL database (pg_dump, custom format) and the uploaded
files (MEDIA_ROOT) in one archive whose manifest holds a checksum of every part (backups/archive.py).

The dump, the row counts and the list of files the rows point at are all taken in ONE database
snapshot (a REPEATABLE READ transaction exported to pg_dump with --snapshot), so the manifest describes
exactly the dump. Uploaded files are never changed or deleted once written (every version of a report
is kept; a draft keeps its file in its row until it is confirmed, and the purge deletes only files no
row points at: reporting/drafts.py), so copying MEDIA_ROOT after taking the snapshot finds every file
the snapshot's rows point at; files newer than the snapshot come along unreferenced and do no harm.

A restore goes into an EMPTY database only (fail closed: it never merges into or overwrites a live
portal), in one transaction (pg_restore --single-transaction: all of it or nothing), and then checks
that every table has the rows the manifest counted and every file a row points at is there with the
SHA-256 the portal recorded when it was uploaded."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from common.errors import Problem
from reporting.models import Submission

from . import postgres
from .archive import (
    DUMP,
    FORMAT,
    MEDIA,
    archive_check,
    archive_extract,
    archive_write,
    file_sha256,
)
from .errors import BackupError

ARCHIVE_NAME = re.compile(r"^qianjiang-\d{8}-\d{6}\.tar$")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    sha256: str
    tables: int
    rows: int
    files: int
    removed: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    files: int
    files_written: int
    migrations_to_apply: list[str]


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _referenced_files() -> dict[str, str | None]:
    """Every file a row points at (any FileField), with the SHA-256 the portal recorded at upload
    where it keeps one (a township's report file)."""
    files: dict[str, str | None] = {}
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                names = model._base_manager.exclude(**{f.name: ""}).order_by().values_list(f.name, flat=True)
                files.update(dict.fromkeys(names.distinct()))
    # A draft has no file yet: its copy waits in its row until it is confirmed (reporting/drafts.py).
    files.update(Submission.objects.exclude(file="").order_by().values_list("file", "file_sha256"))
    return files


def _refuse_missing_or_changed_files(manifest: dict) -> None:
    problems = _file_problems(manifest["referenced_files"], manifest["media"])
    if problems:
        raise BackupError([*problems, Problem("备份未完成,没有留下备份文件。请先修复上述文件。")])


def _file_problems(referenced: dict[str, str | None], media: dict[str, dict]) -> list[Problem]:
    problems = []
    for name, recorded in sorted(referenced.items()):
        meta = media.get(name)
        if meta is None:
            problems.append(Problem(f"数据库记录的文件 {name} 不在 MEDIA_ROOT({settings.MEDIA_ROOT})中"))
        elif recorded is not None and meta["sha256"] != recorded:
            problems.append(Problem(f"文件 {name} 的SHA-256与上传时记录的不符(文件已被改动或损坏)"))
    return problems


def _check_pg_dump() -> str:
    server, dump = postgres.server_version(), postgres.program_version("pg_dump")
    if postgres.major(dump) < postgres.major(server):
        raise BackupError(
            f"pg_dump {dump} 比数据库服务器 {server} 旧,无法备份:请安装 PostgreSQL {postgres.major(server)} "
            "的客户端,或用 BACKUP_PG_BIN_DIR 指向它。"
        )
    return dump


def _dump_in_one_snapshot(dump: Path) -> dict:
    """pg_dump and the manifest's facts from the same snapshot of the database."""
    pg_dump = _check_pg_dump()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        facts = {
            "rows": _row_counts(),
            "migrations": _applied_migrations(),
            "referenced_files": _referenced_files(),
        }
        # The snapshot stays importable while this transaction is open, i.e. for the whole dump.
        postgres.run("pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={dump}"])
    return {
        "format": FORMAT,
        "created_at": timezone.localtime().isoformat(),
        "database": {
            "name": connection.settings_dict["NAME"],
            "server_version": postgres.server_version(),
            "pg_dump_version": pg_dump,
        },
        **facts,
    }


def _prune(directory: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` archives this command wrote (by their timestamped names); nothing else."""
    archives = sorted(p for p in directory.iterdir() if ARCHIVE_NAME.match(p.name))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
        path.with_name(path.name + ".sha256").unlink(missing_ok=True)
    return removed


def backup_create(*, directory: Path, keep: int | None = None) -> BackupResult:
    """Write directory/qianjiang-YYYYmmdd-HHMMSS.tar (and its .sha256 for `sha256sum -c`); with `keep`,
    then remove all but the newest `keep` archives. Refuses, leaving no archive, if a file the database
    points at is missing or changed."""
    postgres.require_postgresql()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"qianjiang-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
    if path.exists():
        raise BackupError(f"{path} 已存在(同一秒内运行了两次备份?),未覆盖。")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        manifest = archive_write(
            path,
            dump=dump,
            media_root=media_root,
            manifest=_dump_in_one_snapshot(dump),
            check=_refuse_missing_or_changed_files,
        )
    sha = file_sha256(path)
    path.with_name(path.name + ".sha256").write_text(f"{sha}  {path.name}\n")
    return BackupResult(
        path=path,
        bytes=path.stat().st_size,
        sha256=sha,
        tables=len(manifest["rows"]),
        rows=sum(manifest["rows"].values()),
        files=len(manifest["media"]),
        removed=_prune(directory, keep) if keep else [],
    )


def _migrations_on_disk() -> set[str]:
    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def _unknown_migrations(manifest: dict) -> list[str]:
    on_disk = _migrations_on_disk()
    return [m for m in manifest["migrations"] if m not in on_disk]


def backup_check(*, archive: Path) -> dict:
    """Everything that can be checked without a database: every member against the manifest, the
    migrations known to this version of the portal, a pg_restore able to read the dump."""
    manifest = archive_check(archive)
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            f"备份来自更新版本的门户(本版本没有这些数据库迁移:{'、'.join(unknown[:5])}),请用同版本或更新版本恢复。"
        )
    made_by, restore = manifest["database"]["pg_dump_version"], postgres.program_version("pg_restore")
    if postgres.major(restore) < postgres.major(made_by):
        raise BackupError(
            f"备份由 pg_dump {made_by} 生成,pg_restore {restore} 读不了:请安装同版本或更新的客户端。"
        )
    return manifest


def _check_database_empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'"
        )
        objects = cursor.fetchone()[0]
    if objects:
        raise BackupError(
            f"数据库 {connection.settings_dict['NAME']} 不是空的(已有 {objects} 个表、索引或序列),未做任何改动。"
            "恢复只写入空数据库:请先停止 web、worker、beat,删除并重新建立这个数据库,再恢复。"
        )


def _media_to_write(manifest: dict) -> list[str]:
    """The files not yet in MEDIA_ROOT. One already there with other content is a conflict: refused
    before anything is written, never overwritten."""
    root, missing, conflicts = Path(settings.MEDIA_ROOT), [], []
    for rel, meta in manifest["media"].items():
        target = root / rel
        if not target.exists():
            missing.append(rel)
        elif not target.is_file() or file_sha256(target) != meta["sha256"]:
            conflicts.append(Problem(f"MEDIA_ROOT 中已有内容不同的 {rel},未覆盖"))
    if conflicts:
        raise BackupError([*conflicts, Problem("恢复已停止,数据库和文件都没有改动。")])
    return missing


def _verify_restored(manifest: dict) -> list[Problem]:
    problems = []
    counts = _row_counts()
    if set(counts) != set(manifest["rows"]):
        problems.append(Problem(f"恢复后的表与备份不同:{sorted(set(counts) ^ set(manifest['rows']))[:10]}"))
    problems += [
        Problem(f"表 {table} 恢复了 {counts.get(table)} 行,备份时为 {rows} 行")
        for table, rows in sorted(manifest["rows"].items())
        if counts.get(table) != rows
    ]
    if _applied_migrations() != manifest["migrations"]:
        problems.append(Problem("恢复后的数据库迁移记录与备份不同"))
    root, referenced = Path(settings.MEDIA_ROOT), _referenced_files()
    on_disk = {name: {"sha256": file_sha256(root / name)} for name in referenced if (root / name).is_file()}
    return problems + _file_problems(referenced, on_disk)


def backup_restore(*, archive: Path) -> RestoreResult:
    """Restore an archive into the configured database, which must be empty, and MEDIA_ROOT; then
    check every table's rows and every file. Safe to run again after a failure: files already
    restored are recognised by their SHA-256, and the database restore is all or nothing."""
    postgres.require_postgresql()
    manifest = backup_check(archive=archive)
    _check_database_empty()
    missing = _media_to_write(manifest)
    root = Path(settings.MEDIA_ROOT)
    archive_extract(archive, {MEDIA + rel: (root / rel, manifest["media"][rel]) for rel in missing})
    with tempfile.TemporaryDirectory(prefix="qianjiang-restore-") as work:
        dump = Path(work) / DUMP
        archive_extract(archive, {DUMP: (dump, manifest["database"])})
        postgres.run(
            "pg_restore",
            ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
             f"--dbname={connection.settings_dict['NAME']}", str(dump)],
        )  # fmt: skip
    problems = _verify_restored(manifest)
    if problems:
        raise BackupError([*problems, Problem("恢复后的核对未通过,请勿启用这个数据库。")])
    return RestoreResult(
        tables=len(manifest["rows"]),
        rows=sum(manifest["rows"].values()),
        files=len(manifest["media"]),
        files_written=len(missing),
        migrations_to_apply=sorted(_migrations_on_disk() - set(manifest["migrations"])),
    )
