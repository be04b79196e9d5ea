from django.apps import AppConfig


class LaborRelationsConfig(AppConfig):
    name = "labor_relations"
    verbose_name = "劳动关系"

    def ready(self) -> None:
        from indicators.catalog import register

        from .indicators import INDICATORS

        register(*INDICATORS)
