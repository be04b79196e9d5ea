"""Where the admin's spreadsheet imports (django-import-export) keep the uploaded file between the preview
and the confirmation.

import-export's default, TempFolderStorage, takes the file's name back from a hidden field of the
confirmation form and reads, then deletes, that name in the web process's temporary folder: bureau staff
could delete any file there (`import_file_name=qj-victim.txt` → "导入成功", file gone). Here the file is
kept in the shared cache (Redis in production, so every web worker finds it) under a random name the
portal made; a name that is not one of those is refused before anything is read, and no name reaches
the file system at all. A pending import the person never confirms expires with its cache entry."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest, SuspiciousOperation
from import_export.tmp_storages import CacheStorage

# The names CacheStorage makes: uuid4().hex.
_OUR_NAME = re.compile(r"[0-9a-f]{32}")


class ImportFileNameRefused(SuspiciousOperation):
    """A name the portal never handed out: a forged form (logged by Django as a security event)."""


class ImportFileGone(BadRequest):
    """The file expired, was imported already, or the cache could not keep it."""


class PendingImportStorage(CacheStorage):
    CACHE_PREFIX = "import-export-pending-"

    @property
    def CACHE_LIFETIME(self) -> int:  # the name CacheStorage reads
        return settings.IMPORT_PENDING_MINUTES * 60

    def save(self, data) -> None:
        self.name = None  # always a fresh name of the portal's own
        super().save(data)
        if not cache.has_key(self.CACHE_PREFIX + self.name):  # the fail-soft cache drops a failed set
            raise ImportFileGone("暂时无法保存待导入的文件(缓存服务不可用),请稍后再试。")

    def read(self):
        self._check_name()
        data = super().read()
        if data is None:
            minutes = settings.IMPORT_PENDING_MINUTES
            raise ImportFileGone(
                f"待导入的文件已失效(超过{minutes}分钟未确认,或已经导入过),本次没有导入任何数据。"
                "请重新选择文件导入。"
            )
        return data

    def remove(self) -> None:
        self._check_name()
        super().remove()

    def _check_name(self) -> None:
        if not _OUR_NAME.fullmatch(self.name or ""):
            raise ImportFileNameRefused("导入文件的标识无效,本次没有导入任何数据。请重新选择文件导入。")
