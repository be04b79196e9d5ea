"""The backup archive: one plain tar file, so one file to copy off the machine and one name per night.

    database.dump        pg_dump --format=custom (already compressed; the tar adds no compression:
                         the uploads are .xlsx, zip files themselves)
    media/<path>         every file under MEDIA_ROOT (the townships' original report files)
    manifest.json        last: size and SHA-256 of every member, the row count of every table and the
                         applied migrations, all taken in the same database snapshot as the dump

A member is extracted only to a path derived from the manifest (checked: relative, no ".."), never to
the name a member claims, so a tampered archive cannot write outside MEDIA_ROOT."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from common.errors import Problem

from .errors import BackupError

FORMAT = "qianjiang-backup/1"
MANIFEST, DUMP, MEDIA = "manifest.json", "database.dump", "media/"
CHUNK = 1024 * 1024


class _Hashing:
    """A file object that hashes what is read through it (tarfile reads members in chunks)."""

    def __init__(self, stream):
        self.stream, self.sha, self.size = stream, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha.update(data)
        self.size += len(data)
        return data


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            sha.update(block)
    return sha.hexdigest()


def media_files(root: Path) -> list[str]:
    """Every regular file under MEDIA_ROOT, as relative POSIX paths, in a stable order."""
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o644
    with path.open("rb") as stream:
        hashing = _Hashing(stream)
        tar.addfile(info, hashing)
    return {"bytes": info.size, "sha256": hashing.sha.hexdigest()}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def archive_write(
    path: Path, *, dump: Path, media_root: Path, manifest: dict, check: Callable[[dict], None]
) -> dict:
    """Write the archive under a hidden name and rename it when it is whole and `check(manifest)` has
    not raised: a crash, a full disk or a refused backup leaves no file that looks like a backup."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            manifest["database"].update(_add(tar, DUMP, dump))
            manifest["media"] = {
                rel: _add(tar, MEDIA + rel, media_root / rel) for rel in media_files(media_root)
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
            tar.addfile(info, io.BytesIO(data))
        check(manifest)
        _fsync(partial)
        os.replace(partial, path)
        _fsync(path.parent)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _safe(rel: str) -> str:
    parts = PurePosixPath(rel)
    if not rel or parts.is_absolute() or ".." in parts.parts or "\\" in rel:
        raise BackupError(f"备份清单中的文件路径不安全:{rel!r},拒绝恢复。")
    return rel


def archive_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{path} 不是完整的门户备份(读不到 {MANIFEST}):{exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} 的格式是 {manifest.get('format')!r},本程序只能恢复 {FORMAT}。")
    for rel in manifest["media"]:
        _safe(rel)
    return manifest


def expected_members(manifest: dict) -> dict[str, dict]:
    return {DUMP: manifest["database"], **{MEDIA + rel: meta for rel, meta in manifest["media"].items()}}


def archive_check(path: Path) -> dict:
    """Read every member and hold it to the manifest (size and SHA-256); nothing missing, nothing
    extra. Returns the manifest; raises with every problem found."""
    manifest = archive_manifest(path)
    expected, seen, problems = expected_members(manifest), set(), []
    with tarfile.open(path, "r:") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            meta = expected.get(member.name)
            if meta is None or not member.isfile():
                problems.append(Problem(f"备份中有清单之外的内容:{member.name}"))
                continue
            hashing = _Hashing(tar.extractfile(member))
            while hashing.read(CHUNK):
                pass
            if (hashing.size, hashing.sha.hexdigest()) != (meta["bytes"], meta["sha256"]):
                problems.append(Problem(f"备份中的 {member.name} 已损坏(大小或SHA-256与清单不符)"))
            seen.add(member.name)
    problems += [Problem(f"备份中缺少 {name}") for name in sorted(set(expected) - seen)]
    if problems:
        raise BackupError(problems)
    return manifest


def archive_extract(path: Path, targets: dict[str, tuple[Path, dict]]) -> None:
    """Members (name → (target path, manifest entry)) in one pass over the archive; each is written
    under a temporary name and renamed into place once its SHA-256 is right."""
    with tarfile.open(path, "r:") as tar:
        for member in tar:
            if member.name in targets:
                _extract_one(tar, member, *targets[member.name])


def _extract_one(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, meta: dict) -> None:
    temporary = target.with_name(f".{target.name}.restoring")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with temporary.open("wb") as out:
            hashing = _Hashing(tar.extractfile(member))
            shutil.copyfileobj(hashing, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        if hashing.sha.hexdigest() != meta["sha256"]:
            raise BackupError(f"备份中的 {member.name} 在恢复过程中校验不符,已停止。")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
