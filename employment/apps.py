from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = "就业"

    def ready(self) -> None:
        from indicators.catalog import register

        from .indicators import INDICATORS

        register(*INDICATORS)
