"""One gate at every door: a figure a 强制 rule refuses is refused by the township upload, the month
sheet, the admin and the API in the same words; a 核实 figure without an explanation is refused at each,
and with one it is accepted, kept with the figure and shown to the reviewer."""

from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from common.errors import PortalError
from indicators.models import MonthlyValue
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_approve, submission_confirm
from tests.conftest import TOWNSHIP_A
from tests.entry.conftest import sheet_post
from tests.reporting.conftest import fill

CITY, JOBS = "429005", "employment.urban_new_jobs"
IMPOSSIBLE = "3.9亿"  # people: more than the city has
TOO_MANY = 121  # one township's month above the whole city's 120 of 2023
WHY = "本月新开工业园区集中招工"
REFUSED = (
    "“城镇新增就业人数”填报390,000,000人,超过全市常住人口(856,000人)。"
    "请检查是否多填了位数或填错了单位(如把“万人”填成了“人”)。不能保存。"
)
ASKED = (
    "“城镇新增就业人数”填报121人,超过全市2023年全年数(120人)。一个区镇街道一个月的数超过了全市去年全年,"
    "请核实。如确实无误,请填写核实说明(至少6个字)。"
)


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


@pytest.fixture
def last_year(put, indicators):
    for month in range(1, 13):
        put(JOBS, CITY, 2023, month, 10)


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


def _upload(user, orgs, value, explanation=None):
    from reporting.templates_xlsx import template_workbook

    data = fill(
        template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=11),
        {JOBS: value},
        explanations={JOBS: explanation} if explanation else None,
    )
    return submission_upload(
        user=user, township=orgs[TOWNSHIP_A], year=2024, month=11, data=data, filename="月报.xlsx"
    )


def _sheet(client, value, explanation=None):
    extra = {f"x-{JOBS}": explanation} if explanation else {}
    return sheet_post(client, TOWNSHIP_A, 2024, 11, {JOBS: str(value)}, **extra)


def _admin(client, indicators, orgs, value, explanation=""):
    return client.post(
        reverse("admin:indicators_monthlyvalue_add"),
        {"indicator": indicators[JOBS].pk, "org_unit": orgs[TOWNSHIP_A].pk, "year": 2024, "month": 11,
         "value": value, "remark": "", "explanation": explanation, "_save": "保存"},
    )  # fmt: skip


def _api(user, value, explanation=""):
    client = APIClient()
    client.force_authenticate(user)
    body = {"indicator": JOBS, "org_unit": TOWNSHIP_A, "year": 2024, "month": 11, "value": str(value)}
    return client.post("/api/v1/monthly-values/", {**body, "explanation": explanation}, format="json")


def _messages(response) -> list[str]:
    return [p["message"] for p in response.json()["error"]["problems"]]


def test_a_mandatory_figure_is_refused_in_the_same_words_at_every_door(
    township_a_user, bureau_user, bureau, orgs, indicators
):
    uploaded = _upload(township_a_user, orgs, IMPOSSIBLE)
    assert [p.message for p in uploaded.problems] == [REFUSED] and uploaded.submission is None

    sheet = _sheet(bureau, IMPOSSIBLE)
    assert sheet.status_code == 200 and sheet.context["outcome"].problems[JOBS] == [REFUSED]

    admin = _admin(bureau, indicators, orgs, "390000000", explanation=WHY)
    assert admin.context["adminform"].form.errors["value"] == [REFUSED]

    api = _api(bureau_user, "390000000", explanation=WHY)
    assert api.status_code == 400 and _messages(api) == [REFUSED]
    assert not MonthlyValue.objects.filter(year=2024).exists()


def test_a_figure_to_verify_is_refused_unexplained_at_every_door(
    last_year, township_a_user, bureau_user, bureau, orgs, indicators
):
    uploaded = _upload(township_a_user, orgs, TOO_MANY)
    assert [t.problem.message for t in uploaded.to_explain] == [ASKED]  # asked in the preview
    with pytest.raises(PortalError) as refused:
        submission_confirm(submission=uploaded.submission, user=township_a_user)
    assert [p.message for p in refused.value.problems] == [ASKED]

    sheet = _sheet(bureau, TOO_MANY)
    assert sheet.context["outcome"].problems[JOBS] == [ASKED]
    assert JOBS in sheet.context["outcome"].to_explain
    assert f'name="x-{JOBS}"' in sheet.content.decode()  # the cell asks for the explanation

    admin = _admin(bureau, indicators, orgs, TOO_MANY)
    assert admin.context["adminform"].form.errors["explanation"] == [ASKED]

    api = _api(bureau_user, TOO_MANY)
    assert api.status_code == 400 and _messages(api) == [ASKED]
    assert not MonthlyValue.objects.filter(year=2024).exists()


@pytest.mark.parametrize("door", ["sheet", "admin", "api"])
def test_an_explained_figure_is_accepted_at_the_bureaus_doors_and_kept_with_it(
    last_year, bureau_user, bureau, orgs, indicators, door
):
    if door == "sheet":
        assert _sheet(bureau, TOO_MANY, WHY).status_code == 302
    elif door == "admin":
        assert _admin(bureau, indicators, orgs, TOO_MANY, WHY).status_code == 302
    else:
        assert _api(bureau_user, TOO_MANY, WHY).status_code == 201

    stored = MonthlyValue.objects.get(year=2024, month=11, org_unit__code=TOWNSHIP_A)
    assert (stored.value, stored.explanation) == (D(TOO_MANY), WHY)


def test_a_township_explains_in_its_file_and_the_reviewer_reads_it(
    last_year, township_a_user, bureau_user, bureau, orgs
):
    preview = _upload(township_a_user, orgs, TOO_MANY, WHY)
    assert preview.ok, preview.problems
    assert [str(w.message) for w in preview.warnings] == [
        "【核实】" + ASKED.split("如确实无误")[0] + f"核实说明:{WHY}"
    ]
    submission = submission_confirm(submission=preview.submission, user=township_a_user)

    review = bureau.get(reverse("reporting:detail", args=[submission.pk])).content.decode()
    assert WHY in review

    submission_approve(submission=submission, user=bureau_user)
    stored = MonthlyValue.objects.get(year=2024, month=11, org_unit__code=TOWNSHIP_A)
    assert (stored.value, stored.explanation) == (D(TOO_MANY), WHY)


def test_a_township_explains_in_the_preview_and_its_draft_waits_for_it(
    last_year, township_a_user, bureau_user, client, orgs
):
    from django.urls import reverse

    from reporting.models import Submission
    from reporting.templates_xlsx import template_workbook

    client.force_login(township_a_user)
    data = fill(template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=11), {JOBS: TOO_MANY})
    preview = client.post(
        reverse("reporting:upload"),
        {"township": orgs[TOWNSHIP_A].pk, "year": 2024, "month": 11, "file": _named(data)},
    )
    draft = Submission.objects.get(status=Submission.Status.DRAFT)
    field = f"x-{draft.values.get(indicator__code=JOBS).indicator_id}"
    assert preview.status_code == 200 and f'name="{field}"' in preview.content.decode()
    assert ASKED in preview.content.decode()

    unexplained = client.post(reverse("reporting:confirm", args=[draft.pk]), {field: "核实过"})
    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT  # five characters are not an explanation
    assert ASKED in " ".join(str(m) for m in unexplained.wsgi_request._messages)

    client.post(reverse("reporting:confirm", args=[draft.pk]), {field: WHY})
    draft.refresh_from_db()
    assert draft.status == Submission.Status.PENDING
    assert draft.values.get(indicator__code=JOBS).explanation == WHY


def _named(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("月报.xlsx", data)
