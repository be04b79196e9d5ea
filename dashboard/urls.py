from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("cockpit.xlsx", views.cockpit_xlsx, name="cockpit-xlsx"),
    path("warnings/", views.warnings, name="warnings"),
    path("warnings.xlsx", views.warnings_xlsx, name="warnings-xlsx"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard.xlsx", views.scorecard_xlsx, name="scorecard-xlsx"),
    path("report/", views.report, name="report"),
    path("report.docx", views.report_docx, name="report-docx"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("indicators/<str:code>/ranking.xlsx", views.ranking_xlsx, name="ranking-xlsx"),
    path("townships/<str:org_code>/", views.township, name="township"),
]
