"""An upload past the cap is refused while it arrives, with a Chinese message, and nothing is saved."""

from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.models import Submission

MB = 1024 * 1024


def test_a_file_past_the_cap_is_refused_in_chinese_and_nothing_is_saved(client, township_a_user, settings):
    client.force_login(township_a_user)
    big = SimpleUploadedFile("园林11月.xlsx", b"PK" + b"\0" * (settings.REPORT_MAX_UPLOAD_MB * MB))

    response = client.post("/reporting/upload/", {"township": township_a_user.org_unit_id, "file": big})

    assert response.status_code == 413
    assert f"超过了{settings.REPORT_MAX_UPLOAD_MB}MB的上限" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_body_announced_past_the_cap_is_refused_before_it_is_read(client, township_a_user, settings):
    client.force_login(township_a_user)

    response = client.generic(
        "POST",
        "/reporting/upload/",
        b"x",
        content_type="multipart/form-data; boundary=b",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BODY_BYTES + 1),
    )

    assert response.status_code == 413


def test_the_admins_import_is_bounded_too(client, bureau_user, settings):
    client.force_login(bureau_user)
    big = SimpleUploadedFile("values.xlsx", b"PK" + b"\0" * (settings.REPORT_MAX_UPLOAD_MB * MB))

    response = client.post("/admin/indicators/monthlyvalue/import/", {"import_file": big, "format": "0"})

    assert response.status_code == 413


def test_the_upload_page_checks_the_size_before_sending(client, township_a_user, settings):
    client.force_login(township_a_user)

    page = client.get("/reporting/").content.decode()

    assert f'data-max-bytes="{settings.REPORT_MAX_UPLOAD_MB * MB}"' in page
