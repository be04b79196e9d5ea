"""The admin's two-step import keeps the file under a name the portal made (common/import_files.py): a
confirmation naming any other file deletes nothing and imports nothing (issue 23.6)."""

import tempfile
import uuid
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ImportExportMixin

from common.export_formats import SAFE_FORMATS, SafeCSV
from common.import_files import PendingImportStorage
from indicators.models import FigureChange, MonthlyValue
from tests.conftest import TOWNSHIP_A

CSV = str(SAFE_FORMATS.index(SafeCSV))
IMPORTING_ADMINS = sorted(
    f"{model._meta.app_label}_{model._meta.model_name}"
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ImportExportMixin)
)


@pytest.fixture
def victim():
    """A file of someone else's in the web process's temporary folder."""
    path = Path(tempfile.gettempdir()) / f"qj-victim-{uuid.uuid4().hex[:8]}.txt"
    path.write_text("指标代码,区划代码,年度,月份,数值\n", encoding="utf-8")
    yield path
    path.unlink(missing_ok=True)


@pytest.mark.parametrize("admin_name", IMPORTING_ADMINS)
def test_a_confirmation_naming_a_file_in_the_temp_folder_leaves_it_and_imports_nothing(
    client, bureau_user, indicators, orgs, victim, admin_name
):
    client.force_login(bureau_user)
    before = (MonthlyValue.objects.count(), FigureChange.objects.count())

    response = client.post(
        reverse(f"admin:{admin_name}_process_import"),
        {"import_file_name": victim.name, "original_file_name": "x.csv", "format": CSV, "resource": "0"},
    )

    assert victim.exists(), "the confirmation deleted a file it named"
    assert response.status_code == 400
    assert "导入文件的标识无效,本次没有导入任何数据" in response.content.decode()
    assert (MonthlyValue.objects.count(), FigureChange.objects.count()) == before


def _preview(client, indicators) -> dict:
    content = f"指标代码,区划代码,年度,月份,数值\nemployment.urban_new_jobs,{TOWNSHIP_A},2024,3,12\n"
    response = client.post(
        reverse("admin:indicators_monthlyvalue_import"),
        {"import_file": SimpleUploadedFile("3月.csv", content.encode()), "format": CSV, "resource": "0"},
    )
    assert response.context and response.context.get("confirm_form"), response.content.decode()[:2000]
    return response.context["confirm_form"].initial


def test_the_previewed_file_waits_in_the_cache_under_a_name_the_portal_made(
    client, bureau_user, typed_by_hand, orgs
):
    client.force_login(bureau_user)

    name = _preview(client, typed_by_hand)["import_file_name"]

    assert len(name) == 32 and cache.has_key(PendingImportStorage.CACHE_PREFIX + name)
    assert not (Path(tempfile.gettempdir()) / name).exists()


def test_confirming_a_pending_file_that_expired_imports_nothing_and_says_so(
    client, bureau_user, typed_by_hand, orgs
):
    client.force_login(bureau_user)
    confirm = _preview(client, typed_by_hand)
    cache.delete(PendingImportStorage.CACHE_PREFIX + confirm["import_file_name"])

    response = client.post(reverse("admin:indicators_monthlyvalue_process_import"), confirm)

    assert response.status_code == 400
    assert "待导入的文件已失效" in response.content.decode()
    assert not MonthlyValue.objects.exists()


def test_a_confirmed_preview_still_imports_once(client, bureau_user, typed_by_hand, orgs):
    client.force_login(bureau_user)
    confirm = _preview(client, typed_by_hand)

    first = client.post(reverse("admin:indicators_monthlyvalue_process_import"), confirm)
    again = client.post(reverse("admin:indicators_monthlyvalue_process_import"), confirm)

    assert first.status_code == 302 and again.status_code == 400
    assert MonthlyValue.objects.get().value == 12


def test_with_the_cache_down_the_preview_refuses_instead_of_losing_the_file(
    client, bureau_user, typed_by_hand, orgs, spare_redis
):
    from common.redis_guard import redis_available
    from tests.processes import redis_at, wait_for

    client.force_login(bureau_user)
    with redis_at(spare_redis.url):
        spare_redis.stop()
        assert wait_for(lambda: not redis_available(), 5)

        response = client.post(
            reverse("admin:indicators_monthlyvalue_import"),
            {"import_file": SimpleUploadedFile("3月.csv", b"a,b\n1,2\n"), "format": CSV, "resource": "0"},
        )

    assert response.status_code == 400
    assert "暂时无法保存待导入的文件" in response.content.decode()
