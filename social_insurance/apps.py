from django.apps import AppConfig


class SocialInsuranceConfig(AppConfig):
    name = "social_insurance"
    verbose_name = "社会保险"

    def ready(self) -> None:
        from django.db.models import Q, Sum

        from indicators.catalog import register
        from indicators.feeds import Feed, feed

        from .indicators import INDICATORS

        register(*INDICATORS)
        insured = {
            "social_insurance.pension_insured": "pension",
            "social_insurance.injury_insured": "injury",
            "social_insurance.unemployment_insured": "unemployment",
        }
        feed(
            # Month-end levels: each type's count is the stock figure for that month.
            Feed(
                register="参保人数月报",
                model="social_insurance.InsuredCount",
                period_fields=("year", "month"),
                values={
                    code: Sum("insured", filter=Q(insurance_type=kind)) for code, kind in insured.items()
                },
            ),
            # E-cards signed so far: a running total over every month up to this one (期初 included).
            Feed(
                register="社保卡发放登记",
                model="social_insurance.CardIssuance",
                period_fields=("year", "month"),
                values={"social_insurance.ecard_issued": Sum("ecards_signed")},
                cumulative=True,
            ),
        )
