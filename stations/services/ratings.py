"""Star-rating services: evaluations from pre-filled scores to approval. Star levels in force, downgrades and
revocations are in ``star_levels``, schemes in ``schemes``, plaques in ``plaques``, the workers' own ratings
in ``worker_ratings``. Admin actions, public views, demo data and tasks call these; none of them holds a
rule of its own.

Permission checks (who may approve) are the caller's; scoping is ``unionhub.scoping``'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.choices import StationStatus, TeamKind
from stations.models import (
    Activity,
    Evaluation,
    Funding,
    IndicatorScore,
    RatingScheme,
    StarRating,
    Station,
    StationRating,
    VisitorCount,
)
from stations.models.ratings import (
    EvaluationStatus,
    IndicatorSource,
    SchemeStatus,
    StarChange,
)
from stations.services.plaques import plaque_award
from stations.services.registry import required_facilities
from stations.services.schemes import scheme_for_station
from stations.services.star_levels import star_in_force

TENTH = Decimal("0.1")
RATEABLE = (StationStatus.OPERATING, StationStatus.RECTIFYING)
# Figures at which a data-based indicator reaches full points (documented on IndicatorSource).
FULL_SERVICES, FULL_ACTIVITIES, FULL_DAILY_VISITORS, FULL_WEEKLY_HOURS = 5, 12, 20, 70
NIGHTS_WINDOW, NIGHTS_FOR_24H = 90, 60


def _tenth(value) -> Decimal:
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


# --- evaluations -----------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_start(
    *,
    station: Station,
    inspectors: str,
    user=None,
    date: dt.date | None = None,
    scheme: RatingScheme | None = None,
    note: str = "",
    dry_run: bool = False,
) -> Evaluation | None:
    """Open an evaluation of a station under the scheme in use for its kind (or ``scheme``) and pre-fill the
    scores the records can suggest. Refused for a station that is not operating or rectifying, or when no
    scheme in use covers its kind. ``dry_run``: only check, write nothing, return None."""
    if station.status not in RATEABLE:
        raise ValidationError(_("Only an operating or rectifying station can be evaluated."))
    scheme = scheme or scheme_for_station(station)
    if scheme is None:
        raise ValidationError(_("No rating scheme in use covers this kind of station."))
    if scheme.status != SchemeStatus.ACTIVE:
        raise ValidationError(_("Evaluate with a scheme in use, not a draft or retired one."))
    if dry_run:
        return None
    evaluation = Evaluation(
        station=station,
        scheme=scheme,
        date=date or timezone.localdate(),
        inspectors=inspectors,
        note=note,
        created_by=user,
    )
    evaluation.full_clean()
    evaluation.save()
    evaluation_prefill(evaluation=evaluation)
    return evaluation


class _StationFacts:
    """What the records say about a station in the twelve months up to a day, each read on first use."""

    def __init__(self, station: Station, day: dt.date):
        self.station, self.day = station, day
        self.year_ago = day - relativedelta(months=12)
        self._cache: dict = {}

    def get(self, name: str):
        if name not in self._cache:
            self._cache[name] = getattr(self, f"_{name}")()
        return self._cache[name]

    def _facility_ids(self):
        return set(self.station.facilities.values_list("pk", flat=True))

    def _activities(self):
        return Activity.objects.filter(station=self.station, date__gt=self.year_ago, date__lte=self.day).count()

    def _visitors(self):
        rows = VisitorCount.objects.filter(station=self.station, date__gt=self.year_ago, date__lte=self.day)
        return rows.aggregate(n=Sum("visitors"))["n"] or 0

    def _nights(self):
        since = self.day - dt.timedelta(days=NIGHTS_WINDOW)
        rows = VisitorCount.objects.filter(station=self.station, date__gt=since, date__lte=self.day)
        return rows.filter(night_visitors__gt=0).count()

    def _weekly_hours(self):
        minutes = 0
        for period in self.station.opening_hours.all():
            end = 24 * 60 if period.ends_at_midnight else period.closes.hour * 60 + period.closes.minute
            minutes += end - (period.opens.hour * 60 + period.opens.minute)
        return Decimal(minutes) / 60

    def _satisfaction(self):
        return station_satisfaction(station=self.station, today=self.day)


def station_satisfaction(*, station: Station, today: dt.date | None = None) -> tuple[Decimal | None, int]:
    """The average of workers' ratings over the last SATISFACTION_WINDOW_MONTHS months and how many there
    were; the average is None below SATISFACTION_MIN_RATINGS ratings (too few to mean anything)."""
    today = today or timezone.localdate()
    since = today.replace(day=1) - relativedelta(months=settings.SATISFACTION_WINDOW_MONTHS - 1)
    row = StationRating.objects.filter(station=station, month__gte=since, month__lte=today).aggregate(
        avg=Avg("score"), n=Count("pk")
    )
    if row["n"] < settings.SATISFACTION_MIN_RATINGS:
        return None, row["n"]
    return Decimal(str(row["avg"])).quantize(Decimal("0.01")), row["n"]


def _suggest(indicator, facts: _StationFacts) -> tuple[Decimal | None, str]:
    """(suggested score, what the records show) for one indicator; (None, why) when the records cannot say."""
    station, top = facts.station, indicator.max_points
    source = indicator.source
    if source == IndicatorSource.FACILITIES_BASIC:
        required = required_facilities(station.kind)
        if not required:
            return top, _("no basic list for this kind")
        have = facts.get("facility_ids")
        missing = [f.name for f in required if f.pk not in have]
        present = len(required) - len(missing)
        basis = _("%(present)s of %(required)s basic facilities") % {"present": present, "required": len(required)}
        if missing:
            basis += _("; missing: %(items)s") % {"items": "、".join(missing)}
        return _tenth(top * present / len(required)), basis
    if source == IndicatorSource.FACILITIES_EXTRA:
        required = {f.pk for f in required_facilities(station.kind)}
        extra = len(facts.get("facility_ids") - required)
        return _tenth(min(top, extra)), _("%(n)s extra facilities") % {"n": extra}
    if source == IndicatorSource.SERVICES:
        n = station.services.count()
        return _tenth(top * min(n, FULL_SERVICES) / FULL_SERVICES), _("%(n)s services") % {"n": n}
    if source == IndicatorSource.ACTIVITIES:
        n = facts.get("activities")
        basis = _("%(n)s activities in the last 12 months") % {"n": n}
        return _tenth(top * min(n, FULL_ACTIVITIES) / FULL_ACTIVITIES), basis
    if source == IndicatorSource.VISITORS:
        total = facts.get("visitors")
        daily = Decimal(total) / 365
        basis = _("%(n)s visitors in the last 12 months (%(daily)s a day)") % {"n": total, "daily": _tenth(daily)}
        return _tenth(top * min(daily, FULL_DAILY_VISITORS) / FULL_DAILY_VISITORS), basis
    if source == IndicatorSource.HOURS:
        if station.open_24h:
            nights = facts.get("nights")
            basis = _("24 hours claimed; night visitors logged on %(n)s of the last %(days)s days") % {
                "n": nights,
                "days": NIGHTS_WINDOW,
            }
            return _tenth(top * min(nights, NIGHTS_FOR_24H) / NIGHTS_FOR_24H), basis
        hours = facts.get("weekly_hours")
        basis = _("open %(h)s hours a week") % {"h": _tenth(hours)}
        return _tenth(top * min(hours, FULL_WEEKLY_HOURS) / FULL_WEEKLY_HOURS), basis
    if source == IndicatorSource.SATISFACTION:
        average, n = facts.get("satisfaction")
        if average is None:
            return None, _("only %(n)s worker ratings: score from the inspection") % {"n": n}
        return _tenth(top * average / 5), _("average %(avg)s of 5 from %(n)s ratings") % {"avg": average, "n": n}
    if source == IndicatorSource.TEAMS:
        kinds = set(station.teams.values_list("kind", flat=True))
        n = len(kinds & set(TeamKind.values))
        return _tenth(top * n / len(TeamKind.values)), _("%(n)s of %(all)s service teams") % {
            "n": n,
            "all": len(TeamKind.values),
        }
    if source == IndicatorSource.FUNDING:
        years = (facts.day.year, facts.day.year - 1)
        funded = Funding.objects.filter(station=station, year__in=years, amount__gt=0).exists()
        return (top, _("funding recorded")) if funded else (Decimal("0"), _("no funding recorded"))
    if source == IndicatorSource.LIUYOU:
        checked = indicator.source_param in (station.liuyou or [])
        return (top, _("checked on the station")) if checked else (Decimal("0"), _("not checked on the station"))
    return None, ""


def evaluation_prefill(*, evaluation: Evaluation) -> list[IndicatorScore]:
    """Create (or refresh) one score row per indicator with the score the records suggest as of the
    inspection date and what they show. A score the inspector already entered is kept; an empty one takes
    the suggestion. Manual indicators, and satisfaction with too few ratings, get no suggestion."""
    facts = _StationFacts(evaluation.station, evaluation.date)
    existing = {s.indicator_id: s for s in evaluation.scores.all()}
    rows = []
    for indicator in evaluation.scheme.indicators.all():
        suggested, basis = _suggest(indicator, facts)
        row = existing.get(indicator.pk) or IndicatorScore(evaluation=evaluation, indicator=indicator)
        row.suggested, row.basis = suggested, basis[:200]
        if row.score is None:
            row.score = suggested
        row.save()
        rows.append(row)
    return rows


@transaction.atomic
def evaluation_score(*, evaluation: Evaluation, scores: Mapping[str, Decimal | tuple[Decimal, str]]) -> Evaluation:
    """Set scores by indicator code: a score, or (score, reason) when it differs from the suggestion. Every
    score is validated before any is written: a score above an indicator's maximum, an unknown code or a
    missing reason writes nothing."""
    if not evaluation.is_editable:
        raise ValidationError(_("This evaluation is no longer being scored."))
    rows = {s.indicator.code: s for s in evaluation.scores.select_related("indicator")}
    errors = []
    changed = []
    for code, value in scores.items():
        row = rows.get(code)
        if row is None:
            errors.append(_("Unknown indicator “%(code)s”.") % {"code": code})
            continue
        score, reason = value if isinstance(value, tuple) else (value, row.override_reason)
        row.score, row.override_reason = Decimal(str(score)), reason or ""
        try:
            row.full_clean()
        except ValidationError as exc:
            errors += exc.messages
        changed.append(row)
    if errors:
        raise ValidationError(errors)
    for row in changed:
        row.save()
    return evaluation


@transaction.atomic
def evaluation_submit(*, evaluation: Evaluation, user=None) -> Evaluation:
    """Send a scored evaluation for county approval, fixing its total and the star level it reaches. Refused
    when any indicator is unscored or a score is invalid (above its maximum, or overridden without a
    reason)."""
    evaluation = Evaluation.objects.select_for_update().select_related("scheme").get(pk=evaluation.pk)
    if not evaluation.is_editable:
        raise ValidationError(_("Only an evaluation being scored can be submitted."))
    scores = {s.indicator_id: s for s in evaluation.scores.select_related("indicator")}
    errors = []
    total = Decimal("0")
    for indicator in evaluation.scheme.indicators.all():
        row = scores.get(indicator.pk)
        if row is None or row.score is None:
            errors.append(_("“%(name)s” has no score.") % {"name": indicator.name})
            continue
        try:
            row.full_clean()
        except ValidationError as exc:
            errors += exc.messages
        total += row.score
    if errors:
        raise ValidationError(errors)
    evaluation.total = total
    evaluation.stars = evaluation.scheme.stars_for(total)
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_return(*, evaluation: Evaluation, note: str, user=None) -> Evaluation:
    """Send a submitted evaluation back to the inspector with a note saying what to look at again."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted evaluation can be returned."))
    if not note.strip():
        raise ValidationError(_("Say why the evaluation is returned."))
    evaluation.status = EvaluationStatus.RETURNED
    evaluation.decision_note = note[:200]
    evaluation.decided_by = user
    evaluation.decided_at = timezone.now()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_approve(*, evaluation: Evaluation, user=None, date: dt.date | None = None, note: str = "") -> StarRating:
    """Approve a submitted evaluation: the station holds the star level it reached from ``date`` (today) to
    the end of the year ``validity_years`` on. A total below the one-star minimum records a step with 0
    stars (the station then holds no star level). A station's first star level also awards its plaque.
    Refused for a delisted station or a date before the inspection."""
    evaluation = Evaluation.objects.select_for_update().select_related("scheme", "station").get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted evaluation can be approved."))
    station = evaluation.station
    if station.status == StationStatus.DELISTED:
        raise ValidationError(_("The station is delisted."))
    date = date or timezone.localdate()
    if date < evaluation.date:
        raise ValidationError(_("An evaluation cannot be approved before the inspection date."))
    previous = star_in_force(station, date)
    stars = evaluation.stars or 0
    if stars == 0:
        change = StarChange.NOT_QUALIFIED
    elif previous is None:
        change = StarChange.AWARDED
    else:
        change = (
            StarChange.UPGRADED
            if stars > previous.stars
            else StarChange.DOWNGRADED
            if stars < previous.stars
            else StarChange.RENEWED
        )
    rating = StarRating(
        station=station,
        stars=stars,
        valid_from=date,
        valid_until=evaluation.scheme.valid_until(date) if stars else None,
        change=change,
        reason=(_("Evaluation of %(date)s: %(total)s points") % {"date": evaluation.date, "total": evaluation.total})[
            :200
        ],
        evaluation=evaluation,
        decided_by=user,
    )
    rating.full_clean()
    rating.save()
    evaluation.status = EvaluationStatus.APPROVED
    evaluation.decided_by = user
    evaluation.decided_at = timezone.now()
    evaluation.decision_note = note[:200]
    evaluation.save()
    if stars and not station.plaque_number:
        plaque_award(station=station, date=date, user=user)
    return rating
