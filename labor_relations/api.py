"""Register endpoints under /api/v1/labor-relations/…: read scoped to the org units the user may see,
written by bureau staff only, each write checked with the model's own rules (registers.api)."""

from registers.api import register_viewset

from . import models as labor

ROUTES = [
    ("labor-relations/dispute-cases", register_viewset(labor.DisputeCase), "dispute-case"),
    ("labor-relations/wage-arrears-cases", register_viewset(labor.WageArrearsCase), "wage-arrears-case"),
    ("labor-relations/wage-arrears-leads", register_viewset(labor.WageArrearsLead), "wage-arrears-lead"),
    (
        "labor-relations/inspection-complaints",
        register_viewset(labor.InspectionComplaint),
        "inspection-complaint",
    ),
    ("labor-relations/credit-ratings", register_viewset(labor.CreditRating), "credit-rating"),
    ("labor-relations/blacklist", register_viewset(labor.BlacklistEntry), "blacklist-entry"),
]
