from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "人才人事"

    def ready(self) -> None:
        from django.db.models import Count, Q

        from indicators.catalog import register
        from indicators.feeds import Feed, feed

        from .indicators import INDICATORS

        register(*INDICATORS)
        # The "其中" parts are counted from the same records as the whole, so they never exceed it.
        feed(
            Feed(
                register="职业技能等级证书发放登记",
                model="talent.SkillCertificate",
                date_field="issued_on",
                values={
                    "talent.skill_certificates": Count("id"),
                    "talent.senior_workers": Count("id", filter=Q(level="senior")),
                    "talent.technicians": Count("id", filter=Q(level="technician")),
                },
            )
        )
