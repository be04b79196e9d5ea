from django.apps import AppConfig


class SocialInsuranceConfig(AppConfig):
    name = "social_insurance"
    verbose_name = "社会保险"

    def ready(self) -> None:
        from indicators.catalog import register

        from .indicators import INDICATORS

        register(*INDICATORS)
