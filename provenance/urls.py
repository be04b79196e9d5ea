"""Mounted under /dashboard/ beside the dashboards' own pages (qianjiang_hrss/urls.py)."""

from django.urls import path

from . import views

app_name = "provenance"

urlpatterns = [
    path("provenance/<str:code>/", views.figure, name="figure"),
    path("provenance/<str:code>/part/", views.part, name="part"),
    path("provenance/<str:code>/records/", views.records, name="records"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
]
