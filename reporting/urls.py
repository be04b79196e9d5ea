from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("template/<str:code>/<int:year>/<int:month>.xlsx", views.template_download, name="template"),
    path("upload/", views.upload, name="upload"),
    path("submissions/<int:pk>/", views.detail, name="detail"),
    path("submissions/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("submissions/<int:pk>/approve/", views.approve, name="approve"),
    path("approve-unflagged/", views.approve_unflagged, name="approve-unflagged"),
    path("submissions/<int:pk>/return/", views.return_submission, name="return"),
    path("submissions/<int:pk>/file/", views.original_file, name="file"),
    path("status/", views.status, name="status"),
    path("status/export.xlsx", views.status_export, name="status-export"),
    path("unlock/", views.unlock, name="unlock"),
]
