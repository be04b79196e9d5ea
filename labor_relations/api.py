"""Register endpoints under /api/v1/labor-relations/…: read scoped to the org units the user may see,
written by bureau staff only, each write checked with the model's own rules (registers.api)."""

from registers.api import RegisterViewSet, register_serializer

from .models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase

DisputeCaseSerializer = register_serializer(
    DisputeCase,
    [
        "org_unit",
        "case_number",
        "applicant",
        "respondent",
        "received_on",
        "stage",
        "deadline_extended",
        "deadline_on",
        "closed_on",
        "closed_how",
        "final_award",
        "amount",
    ],
)
WageArrearsCaseSerializer = register_serializer(
    WageArrearsCase,
    [
        "org_unit",
        "case_number",
        "employer",
        "source",
        "opened_on",
        "closed_on",
        "workers",
        "amount_recovered",
        "referred_to_police",
        "court_enforcement",
    ],
)
CreditRatingSerializer = register_serializer(
    CreditRating, ["org_unit", "employer", "credit_code", "year", "grade"]
)
BlacklistEntrySerializer = register_serializer(
    BlacklistEntry, ["org_unit", "employer", "credit_code", "listed_on", "reason", "removed_on"]
)


class DisputeCaseViewSet(RegisterViewSet):
    queryset = DisputeCase.objects.all()
    serializer_class = DisputeCaseSerializer
    filterset_fields = ["stage", "closed_how", "final_award"]


class WageArrearsCaseViewSet(RegisterViewSet):
    queryset = WageArrearsCase.objects.all()
    serializer_class = WageArrearsCaseSerializer
    filterset_fields = ["source", "referred_to_police", "court_enforcement"]


class CreditRatingViewSet(RegisterViewSet):
    queryset = CreditRating.objects.all()
    serializer_class = CreditRatingSerializer
    filterset_fields = ["year", "grade"]


class BlacklistEntryViewSet(RegisterViewSet):
    queryset = BlacklistEntry.objects.all()
    serializer_class = BlacklistEntrySerializer


ROUTES = [
    ("labor-relations/dispute-cases", DisputeCaseViewSet, "dispute-case"),
    ("labor-relations/wage-arrears-cases", WageArrearsCaseViewSet, "wage-arrears-case"),
    ("labor-relations/credit-ratings", CreditRatingViewSet, "credit-rating"),
    ("labor-relations/blacklist", BlacklistEntryViewSet, "blacklist-entry"),
]
