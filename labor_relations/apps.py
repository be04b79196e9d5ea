from django.apps import AppConfig


class LaborRelationsConfig(AppConfig):
    name = "labor_relations"
    verbose_name = "劳动关系"

    def ready(self) -> None:
        from indicators.catalog import register
        from indicators.feeds import feed

        from .feeds import FEEDS
        from .indicators import INDICATORS

        register(*INDICATORS)
        feed(*FEEDS)
