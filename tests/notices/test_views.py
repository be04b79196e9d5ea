"""The pages: the badge on every page, the notices page (own notices only, mark read), 一键催报 and the
record on the reporting status page and in its export."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from notices.models import Delivery, Notice
from notices.services import reminders_send_due
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

from .conftest import MONTH, YEAR, at


@pytest.fixture
def reminded(people):
    """Due-soon on 7 December and due-today on the 10th, to every township."""
    with at("2026-12-07 09:00"):
        reminders_send_due()
    with at("2026-12-10 09:00"):
        reminders_send_due()
    return people


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_badge_shows_the_unread_count_on_every_page(client, reminded):
    _signed_in(client, reminded["b"])

    for url in ("/", reverse("reporting:index"), reverse("notices:list")):
        page = client.get(url).content.decode()
        assert '<span class="notice-badge" aria-label="2条未读">2</span>' in page, url


def test_the_badge_costs_one_query(client, reminded, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    from notices.context_processors import unread_notices

    request = RequestFactory().get("/")
    request.user = reminded["b"]
    badge = unread_notices(request)["notices"]
    with django_assert_num_queries(1):
        text = Template("{{ notices.unread }}/{{ notices.unread }}").render(Context({"notices": badge}))
    assert text == "2/2"


def test_no_badge_without_unread_notices(client, reminded):
    page = _signed_in(client, reminded["leader"]).get("/").content.decode()

    assert "notice-badge" not in page and 'href="/notices/"' in page


def test_the_notices_page_lists_the_users_own_notices(client, reminded):
    page = _signed_in(client, reminded["a"]).get(reverse("notices:list")).content.decode()

    assert "园林街道" in page and "杨市街道" not in page
    assert page.count('class="notice notice-unread') == 2
    assert "催报:今天(12月10日)是2026年11月月报截止日" in page


def test_mark_read_and_mark_all_read(client, reminded):
    _signed_in(client, reminded["a"])
    first = Delivery.objects.filter(recipient=reminded["a"], channel="portal").order_by("pk").first()

    response = client.post(reverse("notices:read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'aria-label="1条未读"' in client.get("/").content.decode()

    client.post(reverse("notices:read-all"))
    assert "notice-badge" not in client.get("/").content.decode()


def test_another_persons_notice_cannot_be_marked_read(client, reminded):
    theirs = Delivery.objects.filter(recipient=reminded["b"], channel="portal").first()

    response = _signed_in(client, reminded["a"]).post(reverse("notices:read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_status_page_shows_each_townships_reminders(client, reminded):
    _signed_in(client, reminded["bureau"])

    page = client.get(reverse("reporting:status"), {"year": YEAR, "month": MONTH}).content.decode()

    assert "已催报 2 次,最近 12月10日 09:00" in page
    assert 'id="remind-button"' in page and f'value="{Notice.objects.first().township.pk}"' in page


def test_the_leader_sees_the_record_but_cannot_remind(client, reminded):
    page = (
        _signed_in(client, reminded["leader"])
        .get(reverse("reporting:status"), {"year": YEAR, "month": MONTH})
        .content.decode()
    )

    assert "已催报 2 次" in page and 'id="remind-button"' not in page


def test_one_click_reminder_from_the_status_page(client, people, orgs):
    with at("2026-12-11 10:30"):
        _signed_in(client, people["bureau"])
        response = client.post(
            reverse("notices:remind"),
            {
                "year": YEAR,
                "month": MONTH,
                "townships": [orgs[TOWNSHIP_A].pk, orgs[TOWNSHIP_B].pk],
                "note": "今天下班前",
            },
            follow=True,
        )

    page = response.content.decode()
    assert "已向2个区镇街道发送催报:园林街道、杨市街道。" in page
    assert "已催报 1 次,最近 12月11日 10:30" in page
    assert set(Notice.objects.values_list("kind", "note")) == {("manual", "今天下班前")}


def test_one_click_reminder_without_a_township_says_so(client, people):
    response = _signed_in(client, people["bureau"]).post(
        reverse("notices:remind"), {"year": YEAR, "month": MONTH}, follow=True
    )

    assert "请至少选择一个区镇街道。" in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.parametrize("who", ["leader", "a"])
def test_one_click_reminder_is_refused_to_all_but_the_bureau(client, people, orgs, who):
    response = _signed_in(client, people[who]).post(
        reverse("notices:remind"), {"year": YEAR, "month": MONTH, "townships": [orgs[TOWNSHIP_B].pk]}
    )

    assert response.status_code == 403 and not Notice.objects.exists()


def test_one_click_reminder_needs_the_csrf_token(people, orgs):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["bureau"])

    response = client.post(
        reverse("notices:remind"), {"year": YEAR, "month": MONTH, "townships": [orgs[TOWNSHIP_B].pk]}
    )

    assert response.status_code == 403 and not Notice.objects.exists()


def test_the_status_export_has_the_reminders(client, reminded, orgs):
    response = _signed_in(client, reminded["bureau"]).get(
        reverse("reporting:status-export"), {"year": YEAR, "month": MONTH}
    )

    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[4]]
    assert header[-2:] == ["催报次数", "最近催报"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows[TOWNSHIP_B][-2:] == (2, "2026-12-10 09:00")


def test_a_superuser_can_give_a_township_user_an_email_address_in_the_admin(client, people, db):
    from accounts.models import User

    root = User.objects.create_superuser("root", password="pw")
    client.force_login(root)
    url = reverse("admin:accounts_user_change", args=[people["b"].pk])
    form = client.get(url).content.decode()
    assert 'name="email"' in form and "yangshi@example.cn" in form
