"""The landing page: signed-in users only, each sees their own scope, with the figures' age."""

import pytest


def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_leader_sees_the_citys_completion_for_the_latest_month(client, leader_user, demo):
    client.force_login(leader_user)
    page = client.get("/").content.decode()
    assert "潜江市 2024年1-12月 指标完成情况" in page
    assert "176.7%" in page and "完成率计算于" in page


def test_a_township_user_sees_only_its_own_township(client, township_a_user, demo):
    client.force_login(township_a_user)
    page = client.get("/").content.decode()
    assert "园林街道 2024年1-12月" in page
    assert "潜江市 2024年" not in page and "杨市街道" not in page


def test_the_month_can_be_chosen(client, leader_user, demo):
    client.force_login(leader_user)
    assert "潜江市 2024年1-6月" in client.get("/", {"year": 2024, "month": 6}).content.decode()


@pytest.mark.parametrize("query", [{"year": "abc"}, {"month": "x"}])
def test_nonsense_parameters_fall_back_to_the_latest_month(client, leader_user, demo, query):
    client.force_login(leader_user)
    assert "2024年1-12月" in client.get("/", query).content.decode()


def test_a_township_user_cannot_reach_the_admin(client, township_b_user):
    client.force_login(township_b_user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
