"""The error pages, in Chinese, for every door: HTML for pages, the API's JSON shape under /api/."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .uploads import UploadTooLarge

TITLES = {
    400: "请求无效",
    403: "没有权限",
    404: "页面不存在",
    413: "上传内容过大",
    500: "系统出错了",
    503: "系统暂时不可用",
}
DEFAULT_MESSAGES = {
    400: "请求的内容无法处理,请返回上一页重试。",
    403: "您没有权限查看或修改这些数据。",
    404: "您要找的页面不存在,可能链接有误或数据已删除。",
    500: "系统处理时出错,已记录下来。请稍后重试;如果一直出现,请联系系统管理员。",
    503: "数据库暂时无法连接,您的操作没有完成,也没有保存任何数据。请稍等一两分钟再试。",
}


def wants_json(request) -> bool:
    """The API's endpoints answer in its JSON error shape; its docs pages are pages."""
    return request.path.startswith(("/api/v1/", "/api/schema/"))


def error_response(request, status: int, message: str | None = None):
    message = message or DEFAULT_MESSAGES[status]
    if wants_json(request):
        body = {"error": {"message": message, "problems": [{"message": message}]}}
        return JsonResponse(body, status=status)
    context = {"title": TITLES[status], "message": message, "status": status}
    # No request to the template: context processors would look the user up, and the database may be
    # what is down.
    response = HttpResponse(render_to_string("error.html", context), status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response


def _message(exception) -> str | None:
    """A message written for people (PermissionDenied("您只能…")), never an internal one."""
    text = str(exception.args[0]) if exception is not None and getattr(exception, "args", None) else ""
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else None


def bad_request(request, exception=None):
    """Also Django's answer to SuspiciousOperation and BadRequest: their Chinese message, if they carry one
    (a refused import, common/import_files.py), says what happened."""
    if isinstance(exception, UploadTooLarge):
        return error_response(request, 413, _message(exception))
    return error_response(request, 400, _message(exception))


def permission_denied(request, exception=None):
    return error_response(request, 403, _message(exception))


def page_not_found(request, exception=None):
    return error_response(request, 404, _message(exception))


def server_error(request):
    """Django calls this inside its except block, so the exception is at hand: a lost database
    connection (PostgreSQL restarting) is a 503 that says nothing was saved, not a bug."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return error_response(request, 503)
    return error_response(request, 500)
