from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "人才人事"

    def ready(self) -> None:
        from indicators.catalog import register

        from .indicators import INDICATORS

        register(*INDICATORS)
