"""The portal's URLs plus /bench/minimal/: the least a Django view on this stack can do, returning a
JSON body as large as the cockpit's (BENCH_BODY_BYTES), for bench_dashboard.py to compare against."""

import json
import os

from django.http import HttpResponse
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from qianjiang_hrss.urls import urlpatterns as portal_urlpatterns


def _body(size: int) -> bytes:
    skeleton = json.dumps({"padding": ""}).encode()
    return json.dumps({"padding": "x" * max(0, size - len(skeleton))}).encode()


BODY = _body(int(os.environ.get("BENCH_BODY_BYTES", "1000")))


def minimal(request):
    return HttpResponse(BODY, content_type="application/json")


class MinimalSignedIn(APIView):
    """The floor for any signed-in API call: DRF with the session checked (session and user read from
    the database), nothing else done."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        return HttpResponse(BODY, content_type="application/json")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/minimal-signed-in/", MinimalSignedIn.as_view()),
    *portal_urlpatterns,
]
