from django.apps import AppConfig


class EntryConfig(AppConfig):
    """The bureau's data entry inside the admin: the month sheet (月度数据填报), the month overview and
    the quota split (目标任务分解). Stands on the core's write path and on reporting (locks, warnings,
    submissions, the bounded spreadsheet reader); nothing depends on it."""

    name = "entry"
    verbose_name = "后台填报"
