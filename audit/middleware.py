"""Every file the portal hands out is in the security log: exports (dashboard workbooks, the work
report, the status sheet, the admin's register exports, the quota split) and downloads. One place,
so that no export door can be added without leaving a trace: a response sent as an attachment is
recorded with the account, the address, the file's name and the URL it came from (which names the
unit, month and indicator asked for). A door that records its own event (the township file, which
names whose file it was) is not recorded twice."""

from __future__ import annotations

import re
from urllib.parse import unquote

from .models import Kind
from .services import security_event_record

_FILENAME = re.compile(r"filename\*=UTF-8''([^;]+)|filename=\"?([^\";]+)\"?", re.IGNORECASE)


class ExportAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if (
            response.status_code == 200
            and disposition.startswith("attachment")
            and not getattr(request, "security_event_recorded", False)
        ):
            security_event_record(
                kind=Kind.EXPORT,
                request=request,
                object=attachment_name(disposition),
                detail=request.get_full_path()[:500],
            )
        return response


def attachment_name(disposition: str) -> str:
    found = _FILENAME.search(disposition)
    if not found:
        return ""
    return unquote(found.group(1)) if found.group(1) else found.group(2)
