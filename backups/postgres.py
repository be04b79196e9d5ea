"""The PostgreSQL client programs (pg_dump, pg_restore) run against the database Django is set up with.
The connection goes through libpq's environment (PGHOST, PGPASSWORD, ...), so no password is ever on a
command line that `ps` shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

from .errors import BackupError


def program(name: str) -> str:
    """The full path of pg_dump / pg_restore: in BACKUP_PG_BIN_DIR when set, else on PATH."""
    folder = settings.BACKUP_PG_BIN_DIR
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not os.access(found, os.X_OK):
        where = f"目录 {folder}" if folder else "PATH"
        raise BackupError(
            f"找不到 {name}({where}):请安装 PostgreSQL 客户端(postgresql-client),或设置 BACKUP_PG_BIN_DIR。"
        )
    return found


def program_version(name: str) -> str:
    """ "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" → "15.18"."""
    out = subprocess.run([program(name), "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\(PostgreSQL\) (\d+(?:\.\d+)*)", out)
    if not match:
        raise BackupError(f"无法识别 {name} 的版本:{out.strip()}")
    return match.group(1)


def major(version: str) -> int:
    return int(version.split(".")[0])


def server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            "备份与恢复只用于 PostgreSQL 数据库(DATABASE_URL);SQLite 快速体验版请直接复制 db.sqlite3 和 media 目录。"
        )


def client_env() -> dict[str, str]:
    """libpq's variables for Django's own database (its settings, not a second configuration)."""
    require_postgresql()
    db = connection.settings_dict
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": db.get("OPTIONS", {}).get("sslmode"),
    }
    keep = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    return {**keep, **{k: str(v) for k, v in values.items() if v}}


def run(name: str, args: list[str], **kwargs) -> None:
    """Run a client program; its own error text, whole, if it fails."""
    result = subprocess.run(
        [program(name), "--no-password", *args],
        env=client_env(),
        capture_output=True,
        text=True,
        **kwargs,
    )
    if result.returncode != 0:
        raise BackupError(f"{name} 失败(退出码 {result.returncode}):{result.stderr.strip()[-2000:]}")
