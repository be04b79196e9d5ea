"""One JSON error shape for the whole API:
{"error": {"message": "...", "problems": [{"message": "...", "field": "..."}]}}"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import PortalError, Problem, ProblemKind

STATUS_OF_KIND = {
    ProblemKind.INVALID: status.HTTP_400_BAD_REQUEST,
    ProblemKind.PERMISSION: status.HTTP_403_FORBIDDEN,
}


def _flatten(detail, field: str | None = None) -> list[Problem]:
    if isinstance(detail, dict):
        out: list[Problem] = []
        for key, value in detail.items():
            out += _flatten(value, None if key == "non_field_errors" else key)
        return out
    if isinstance(detail, list):
        return [p for item in detail for p in _flatten(item, field)]
    return [Problem(str(detail), field=field)]


def _body(problems: list[Problem]) -> dict:
    return {
        "error": {
            "message": ";".join(p.message for p in problems),
            "problems": [p.as_dict() for p in problems],
        }
    }


def exception_handler(exc, context):
    if isinstance(exc, PortalError):
        return Response(_body(exc.problems), status=STATUS_OF_KIND[exc.kind])
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = _body(_flatten(response.data))
    return response


class PortalPagination(LimitOffsetPagination):
    """limit/offset with an upper bound: `?limit=10000000` gave every monthly value at once (8,184 rows,
    3.2 MB, 1.9 s, and more every year). A larger limit is served as API_MAX_PAGE_SIZE; `next` leads on.
    Read from settings at each request, so tests and deployments can move them."""

    @property
    def default_limit(self) -> int:
        return settings.API_PAGE_SIZE

    @property
    def max_limit(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view) -> list[dict]:
        most, default = self.max_limit, self.default_limit
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"每页条数,默认{default},最多{most}(更大的数按{most}计,用 next 链接翻页)。",
                "schema": {"type": "integer", "minimum": 1, "maximum": most, "default": default},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "从第几条开始(0为第一条)。",
                "schema": {"type": "integer", "minimum": 0, "default": 0},
            },
        ]
