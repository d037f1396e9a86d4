"""What the dashboard shows of hardship assistance (its chart mechanism, ``static/unionhub/dashboard.js``):
households on file by layer and by cause, and the amounts given per programme per quarter of the year.
Grouped queries only, scoped like everything else; plain data for ``json_script``."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractQuarter
from django.utils.translation import gettext as _

from hardship.models import Cause, Entitlement, Household, HouseholdStatus, Layer
from hardship.selectors.figures import GIVEN, ZERO
from unionhub.scoping import scope_queryset

QUARTERS = (1, 2, 3, 4)


def programme_quarters(user, year: int) -> list[dict]:
    """[{"programme", "amounts": [Q1, Q2, Q3, Q4]}] of the amounts given (approved or paid) in cycles that
    start in ``year``, by the quarter of their start."""
    rows = (
        scope_queryset(Entitlement.objects.all(), user)
        .filter(status__in=GIVEN, cycle__period_start__year=year)
        .annotate(quarter=ExtractQuarter("cycle__period_start"))
        .values("cycle__programme__name", "quarter")
        .annotate(total=Sum("amount"))
        .order_by("cycle__programme__name", "quarter")
    )
    programmes: dict[str, list] = {}
    for row in rows:
        amounts = programmes.setdefault(row["cycle__programme__name"], [ZERO] * 4)
        amounts[row["quarter"] - 1] += row["total"] or ZERO
    return [{"programme": name, "amounts": amounts} for name, amounts in programmes.items()]


def register_counts(user, year: int) -> dict:
    """``register_figures`` in two queries (the dashboard counts its queries): on file by layer and cause at
    once, then entrants and leavers."""
    households = scope_queryset(Household.objects.all(), user)
    layers, causes = defaultdict(int), defaultdict(int)
    for layer, cause, n in (
        households.filter(status=HouseholdStatus.ON_FILE)
        .values("layer", "cause")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("layer", "cause", "n")
    ):
        layers[layer] += n
        causes[cause] += n
    moves = households.aggregate(
        entrants=Count("pk", filter=Q(filed_on__year=year)), leavers=Count("pk", filter=Q(left_on__year=year))
    )
    return {
        "on_file": sum(layers.values()),
        "by_layer": [(label, layers.get(value, 0)) for value, label in Layer.choices],
        "by_cause": [(label, causes.get(value, 0)) for value, label in Cause.choices],
        **moves,
    }


def hardship_dashboard(user, year: int) -> dict | None:
    """The section's figures and its charts' data; None for users who may not see the register."""
    if not user.has_perm("hardship.view_household"):
        return None
    register = register_counts(user, year)
    quarters = programme_quarters(user, year)
    return {
        "register": register,
        "quarters": quarters,
        "year_total": sum((sum(q["amounts"], ZERO) for q in quarters), ZERO),
        "chart": {
            "layers": {
                "labels": [str(label) for label, _n in register["by_layer"]],
                "data": [n for _label, n in register["by_layer"]],
            },  # fmt: skip
            "causes": {
                "labels": [str(label) for label, _n in register["by_cause"]],
                "data": [n for _label, n in register["by_cause"]],
            },  # fmt: skip
            "quarters": {
                "labels": [_("Q%(n)s") % {"n": n} for n in QUARTERS],
                "datasets": [{"label": q["programme"], "data": [float(a) for a in q["amounts"]]} for q in quarters],
                "yLabel": _("yuan"),
            },
            "householdsLabel": _("Households on file"),
        },
    }
