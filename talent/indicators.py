"""Talent indicators. 高级工 and 技师 are "其中" parts of the certificates row."""

from indicators.catalog import FLOW, IndicatorSpec

INDICATORS = [
    IndicatorSpec(
        "talent.skill_certificates", "新增职业资格证书或职业技能等级证书人数", "人", FLOW, rate_places=0
    ),
    IndicatorSpec(
        "talent.senior_workers", "其中:高级工", "人", FLOW, rate_places=0, parent="talent.skill_certificates"
    ),
    IndicatorSpec(
        "talent.technicians", "其中:技师", "人", FLOW, rate_places=0, parent="talent.skill_certificates"
    ),
]
