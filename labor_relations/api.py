"""Register endpoints under /api/v1/labor-relations/…: read scoped to the org units the user may see,
written by bureau staff only, each write checked with the model's own rules (registers.api)."""

from registers.api import RegisterSerializer, RegisterViewSet

from .models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase

RECORD_FIELDS = ["id", "org_unit", "remark", "updated_by", "updated_at"]


def _serializer(model_, fields_: list[str]) -> type[RegisterSerializer]:
    class Meta:
        model = model_
        fields = RECORD_FIELDS + fields_
        read_only_fields = ["updated_at"]

    return type(f"{model_.__name__}Serializer", (RegisterSerializer,), {"Meta": Meta})


DisputeCaseSerializer = _serializer(
    DisputeCase,
    [
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
WageArrearsCaseSerializer = _serializer(
    WageArrearsCase,
    [
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
CreditRatingSerializer = _serializer(CreditRating, ["employer", "credit_code", "year", "grade"])
BlacklistEntrySerializer = _serializer(
    BlacklistEntry, ["employer", "credit_code", "listed_on", "reason", "removed_on"]
)


class DisputeCaseViewSet(RegisterViewSet):
    queryset = DisputeCase.objects.select_related("org_unit", "updated_by")
    serializer_class = DisputeCaseSerializer
    filterset_fields = ["stage", "closed_how", "final_award"]


class WageArrearsCaseViewSet(RegisterViewSet):
    queryset = WageArrearsCase.objects.select_related("org_unit", "updated_by")
    serializer_class = WageArrearsCaseSerializer
    filterset_fields = ["source", "referred_to_police", "court_enforcement"]


class CreditRatingViewSet(RegisterViewSet):
    queryset = CreditRating.objects.select_related("org_unit", "updated_by")
    serializer_class = CreditRatingSerializer
    filterset_fields = ["year", "grade"]


class BlacklistEntryViewSet(RegisterViewSet):
    queryset = BlacklistEntry.objects.select_related("org_unit", "updated_by")
    serializer_class = BlacklistEntrySerializer


ROUTES = [
    ("labor-relations/dispute-cases", DisputeCaseViewSet, "dispute-case"),
    ("labor-relations/wage-arrears-cases", WageArrearsCaseViewSet, "wage-arrears-case"),
    ("labor-relations/credit-ratings", CreditRatingViewSet, "credit-rating"),
    ("labor-relations/blacklist", BlacklistEntryViewSet, "blacklist-entry"),
]
