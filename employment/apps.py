from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = "就业"

    def ready(self) -> None:
        from indicators.catalog import register
        from indicators.feeds import feed

        from .feeds import FEEDS
        from .indicators import INDICATORS

        register(*INDICATORS)
        feed(*FEEDS)  # after register(): the feeds name indicators declared above
