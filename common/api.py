"""One JSON error shape for the whole API:
{"error": {"message": "...", "problems": [{"message": "...", "field": "..."}]}}"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
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
