"""Which indicators the talent registers produce, from which records, in which month.

- 职业技能等级证书发放登记 → talent.skill_certificates (certificates issued) and its "其中" parts,
  talent.senior_workers (高级工) and talent.technicians (技师), in the month of the issue date, at the
  holder's township. The parts are counted from the same records as the whole, so they never exceed it.

The recruitment, campus and competition registers feed no indicator: their figures are the registers'
own (talent.selectors)."""

from django.db.models import Count, Q

from indicators.feeds import Feed

from .models import SkillLevel

FEEDS = [
    Feed(
        register="职业技能等级证书发放登记",
        model="talent.SkillCertificate",
        date_field="issued_on",
        values={
            "talent.skill_certificates": Count("id"),
            "talent.senior_workers": Count("id", filter=Q(level=SkillLevel.SENIOR)),
            "talent.technicians": Count("id", filter=Q(level=SkillLevel.TECHNICIAN)),
        },
    )
]
