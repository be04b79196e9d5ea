"""Labour relations indicators. The rates are ratios of case counts kept by the arbitration
commission at city level (市本级), so townships do not report them. The case counts and the wage
amount are fed by the registers (labor_relations/feeds.py); see labor_relations/models.py for how
the mediation rate and the arbitration finality rate read the dispute-case register."""

from indicators.catalog import FLOW, RATIO, IndicatorSpec

CITY = {"township_reported": False}

INDICATORS = [
    IndicatorSpec("labor_relations.dispute_cases", "劳动人事争议案件受理数", "件", FLOW, **CITY),
    IndicatorSpec("labor_relations.cases_closed", "劳动人事争议案件结案数", "件", FLOW, **CITY),
    IndicatorSpec(
        "labor_relations.cases_mediated",
        "其中:调解结案数",
        "件",
        FLOW,
        parent="labor_relations.cases_closed",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.mediation_rate",
        "劳动人事争议调解率",
        "%",
        RATIO,
        rate_places=2,
        numerator="labor_relations.cases_mediated",
        denominator="labor_relations.cases_closed",
        description="调解结案数(含仲裁前调解和仲裁调解) ÷ 结案数",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.closed_on_time",
        "其中:审限内结案数",
        "件",
        FLOW,
        parent="labor_relations.cases_closed",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.closure_rate_at_term",
        "结案率(审限内)",
        "%",
        RATIO,
        rate_places=2,
        numerator="labor_relations.closed_on_time",
        denominator="labor_relations.cases_closed",
        description="审限届满日当日或之前结案的案件数 ÷ 结案数",
        **CITY,
    ),
    IndicatorSpec("labor_relations.arbitration_closed", "仲裁结案数", "件", FLOW, **CITY),
    IndicatorSpec(
        "labor_relations.arbitration_final",
        "其中:仲裁终结结案数(仲裁调解、终局裁决)",
        "件",
        FLOW,
        parent="labor_relations.arbitration_closed",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.arbitration_finality_rate",
        "仲裁终结率",
        "%",
        RATIO,
        rate_places=2,
        numerator="labor_relations.arbitration_final",
        denominator="labor_relations.arbitration_closed",
        description="仲裁阶段以调解书或终局裁决书结案的案件数 ÷ 仲裁立案审理阶段结案数",
        **CITY,
    ),
    IndicatorSpec(
        "labor_relations.wages_recovered", "追发工资待遇金额", "万元", FLOW, value_places=4, **CITY
    ),
]
