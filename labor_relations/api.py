"""Register endpoints under /api/v1/labor-relations/…: read scoped to the org units the user may see,
written by bureau staff only, each write checked with the model's own rules (registers.api)."""

from registers.api import register_viewset

from .models import (
    BlacklistEntry,
    CreditRating,
    DisputeCase,
    InspectionComplaint,
    WageArrearsCase,
    WageArrearsLead,
)

ROUTES = [
    ("labor-relations/dispute-cases", register_viewset(DisputeCase), "dispute-case"),
    ("labor-relations/wage-arrears-cases", register_viewset(WageArrearsCase), "wage-arrears-case"),
    ("labor-relations/wage-arrears-leads", register_viewset(WageArrearsLead), "wage-arrears-lead"),
    ("labor-relations/inspection-complaints", register_viewset(InspectionComplaint), "inspection-complaint"),
    ("labor-relations/credit-ratings", register_viewset(CreditRating), "credit-rating"),
    ("labor-relations/blacklist", register_viewset(BlacklistEntry), "blacklist-entry"),
]
