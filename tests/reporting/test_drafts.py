"""What an upload may leave behind (issue 23, point 1: any township could fill the disk). A preview's
file stays out of MEDIA_ROOT until it is confirmed, and a township has one draft a month."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.models import Submission, SubmissionValue
from reporting.services import submission_confirm, submission_upload
from tests.conftest import TOWNSHIP_A

pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS = "employment.urban_new_jobs"
NOW = "2024-12-05 10:00 +0800"


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel(NOW, tick=False):
        yield


def with_picture(data: bytes, megabytes: float) -> bytes:
    """The template carrying a picture nobody reads (xl/media/image1.png), stored, as PNGs do not shrink."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/image1.png", os.urandom(int(megabytes * 2**20)), zipfile.ZIP_STORED)
    return out.getvalue()


def disk(settings) -> int:
    return sum(p.stat().st_size for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def post(client, user, data: bytes, name: str = "月报.xlsx"):
    form = {"township": user.org_unit_id, "year": 2024, "month": 11, "file": SimpleUploadedFile(name, data)}
    return client.post("/reporting/upload/", form)


def upload(user, orgs, data: bytes):
    preview = submission_upload(
        user=user, township=orgs[TOWNSHIP_A], year=2024, month=11, data=data, filename="月报.xlsx"
    )
    assert preview.ok, preview.problems
    return preview.submission


# --- a preview's file stays out of lasting storage ---


def test_twenty_previews_of_a_file_carrying_a_large_picture_leave_nothing_on_disk(
    client, township_a_user, report_file, settings
):
    """The reported attack, smaller: 20 uploads of a template with an unread 2 MB picture through the
    web door. Before: 20 drafts, each with the whole file in MEDIA_ROOT (and downloadable again)."""
    data = with_picture(report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}), 2)
    client.force_login(township_a_user)

    for _ in range(20):
        assert post(client, township_a_user, data).status_code == 200

    assert disk(settings) == 0
    [draft] = Submission.objects.all()
    assert len(bytes(draft.preview_file)) < 20_000  # the template's worth, not the picture


def test_confirming_writes_only_the_portals_copy_to_disk(township_a_user, orgs, report_file, settings):
    data = with_picture(report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}), 2)

    sent = submission_confirm(submission=upload(township_a_user, orgs, data), user=township_a_user)

    [stored] = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored.stat().st_size < 20_000 and stored.name == f"{TOWNSHIP_A}-202411-v1.xlsx"
    with zipfile.ZipFile(stored) as package:
        assert not [n for n in package.namelist() if n.startswith("xl/media")]
    assert sent.file.name.endswith(stored.name)


def test_an_upload_that_fails_while_its_draft_is_saved_leaves_the_earlier_draft_as_it_was(
    township_a_user, orgs, report_file, monkeypatch
):
    """The replacement is one transaction: the earlier draft goes only if the new one lands whole."""
    from reporting import drafts

    earlier = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}))

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(drafts, "kept_workbook", broken)
    with pytest.raises(OSError):
        submission_upload(
            user=township_a_user,
            township=orgs[TOWNSHIP_A],
            year=2024,
            month=11,
            data=report_file(TOWNSHIP_A, 2024, 11, {JOBS: 130}),
            filename="月报.xlsx",
        )

    assert list(Submission.objects.values_list("pk", "status")) == [(earlier.pk, "draft")]
    assert SubmissionValue.objects.get(submission=earlier, indicator__code=JOBS).value == 120
