"""Doors decide on Problem.kind, never on the wording: a refusal of permission is a 403, a broken rule
a 400, through the real API and the real scope check."""

from rest_framework.test import APIClient

from common.errors import PermissionDeniedError, PortalError, Problem, ProblemKind, refusal
from tests.conftest import TOWNSHIP_B


def _get(user, query: str):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/dashboard/warnings/?{query}")


def test_a_permission_problem_is_a_403_through_the_api(township_a_user, orgs):
    response = _get(township_a_user, f"org={TOWNSHIP_B}")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "您只能查看本区镇街道的数据。"
    assert "kind" not in response.json()["error"]["problems"][0]


def test_a_validation_problem_is_a_400_through_the_api(township_a_user, orgs):
    response = _get(township_a_user, "year=2024&month=13")
    assert response.status_code == 400


def test_an_error_is_a_refusal_of_permission_only_when_every_problem_is_one():
    refused = Problem("不可以。", kind=ProblemKind.PERMISSION)
    assert PortalError([refused]).kind == ProblemKind.PERMISSION
    assert PortalError([refused, Problem("月份无效。")]).kind == ProblemKind.INVALID
    assert PortalError([]).kind == ProblemKind.INVALID
    assert PermissionDeniedError("不可以。").kind == ProblemKind.PERMISSION
    assert PermissionDeniedError([Problem("不可以。")]).problems[0].kind == ProblemKind.PERMISSION


def test_a_refusal_is_a_permission_error_only_when_every_problem_is_one():
    refused = Problem("不可以。", kind=ProblemKind.PERMISSION)
    assert type(refusal([refused])) is PermissionDeniedError
    assert type(refusal([refused, Problem("月份无效。")])) is PortalError
