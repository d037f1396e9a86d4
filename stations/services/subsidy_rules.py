"""The subsidy rules as pure functions: what one station gets for one period, given the facts about it
(``station_allocations``), and the county budget cap (``apply_budget_cap``). No database: the facts are
gathered by ``stations.services.subsidies`` (set-based, or per station for comparison), so the rules are tested with
hand-computed amounts and shared by both ways of gathering (``Rules.of`` reads a policy's rates once).
Money is Decimal, rounded to the fen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stations.models import SubsidyPolicy
from stations.models.subsidies import SubsidyType
from unionhub.money import format_yuan

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE_DAY = dt.timedelta(days=1)


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal) -> str:
    """12000 → "12,000.00"; 2005.48 → "2,005.48" (``unionhub.money.format_yuan``: one way everywhere)."""
    return format_yuan(value)


@lru_cache(maxsize=256)
def _translated(message: str, language: str | None) -> str:
    return _(message)


def _c(language: str | None, message: str) -> str:
    """gettext, cached per language: the rules below format the same few templates tens of thousands of times
    in a run, and gettext's own lookup would be most of the run's Python time. Messages are marked with
    ``gettext_noop`` under that very name: makemessages (xgettext) knows only the standard keywords, so an alias
    such as ``N_`` hid every breakdown from the catalogue and the texts came out in English."""
    return _translated(message, language)


@lru_cache(maxsize=64)
def star_words(stars: int, language: str | None = None) -> str:
    words = {
        1: _c(language, gettext_noop("one star")),
        2: _c(language, gettext_noop("two stars")),
        3: _c(language, gettext_noop("three stars")),
        4: _c(language, gettext_noop("four stars")),
        5: _c(language, gettext_noop("five stars")),
    }
    return words.get(stars, _c(language, gettext_noop("no star")))


@dataclass(frozen=True)
class StationFacts:
    """What the rules need to know about one station for one run."""

    station_id: int
    county: str
    kind: str
    delisted_on: dt.date | None
    ratings: tuple[tuple[dt.date, dt.date | None, int], ...]  # (valid_from, valid_until, stars), oldest first
    activities: int
    visitors: int
    rectifications: tuple[tuple[dt.date, dt.date | None], ...]  # (issued_on, closed_on)
    construction_given: bool  # a construction allocation exists in another run
    operating_given: bool  # an operating allocation for this period exists in another run


@dataclass(frozen=True)
class Rules:
    """A policy, read once for a run."""

    period_start: dt.date
    period_end: dt.date
    rates: dict[tuple[str, int], tuple[Decimal, Decimal]]  # (kind, stars) -> (construction, operating)
    min_activities: int
    min_visitors: int
    shortfall_percent: int
    suspend_while_rectifying: bool
    budget_cap: Decimal | None
    language: str | None = None  # of the breakdown texts

    @classmethod
    def of(cls, policy: SubsidyPolicy, period_start: dt.date, period_end: dt.date) -> Rules:
        return cls(
            period_start=period_start,
            period_end=period_end,
            rates={(r.kind, r.stars): (r.construction, r.operating) for r in policy.rates.all()},
            min_activities=policy.min_activities,
            min_visitors=policy.min_visitors,
            shortfall_percent=policy.shortfall_percent,
            suspend_while_rectifying=policy.suspend_while_rectifying,
            budget_cap=policy.budget_cap,
            language=translation.get_language(),
        )

    @property
    def kinds(self) -> set[str]:
        return {kind for kind, _stars in self.rates}

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days + 1


@dataclass
class Draft:
    station_id: int
    county: str
    subsidy_type: str
    stars: int
    amount: Decimal
    lines: list[str] = field(default_factory=list)

    @property
    def breakdown(self) -> str:
        return "；".join(self.lines)


def stars_on(ratings: Iterable[tuple[dt.date, dt.date | None, int]], day: dt.date) -> int:
    """The star level in force on a day: the latest step started on or before it, while valid."""
    current = None
    for valid_from, valid_until, stars in ratings:
        if valid_from <= day:
            current = (valid_until, stars)
    if current is None or (current[0] is not None and current[0] < day):
        return 0
    return current[1]


def rectifying_days(notices: Iterable[tuple[dt.date, dt.date | None]], start: dt.date, end: dt.date) -> int:
    """Days in [start, end] under at least one rectification notice (from the day it was issued to the day
    before it was closed; an open notice runs on). Overlapping notices count once."""
    spans = sorted((max(issued, start), min(closed - ONE_DAY if closed else end, end)) for issued, closed in notices)
    days, reach = 0, start - ONE_DAY
    for a, b in spans:
        a = max(a, reach + ONE_DAY)
        if b >= a:
            days += (b - a).days + 1
            reach = b
    return days


def station_allocations(facts: StationFacts, rules: Rules) -> list[Draft]:
    """The rules for one station and period, as proposed allocations with their reasons. Pure: the same
    facts give the same drafts, whichever way they were gathered.

    * No allocation for a station delisted before the period, or never holding a star level by its end.
    * Operating: the rate for the star level in force on the last day paid (0 if none is in force); pro rata
      from the day the station first held a star level, and up to the day before it was delisted; times
      ``shortfall_percent`` when it held fewer activities than the minimum *and* had fewer visitors than the
      minimum (a minimum of 0 is not a criterion; none at all means always met); minus the rate's share for
      every day under a rectification notice (when the policy suspends it), never below 0.
    * Construction: once per station ever, at the rate of its first qualifying star level, unless delisted.
    """
    ps, pe = rules.period_start, rules.period_end
    if facts.delisted_on and facts.delisted_on <= ps:
        return []
    end = min(pe, facts.delisted_on - ONE_DAY) if facts.delisted_on else pe
    first = next(((f, s) for f, _u, s in facts.ratings if s > 0), None)
    if first is None or first[0] > end:
        return []
    start = max(ps, first[0])
    drafts = []
    if not facts.operating_given:
        stars = stars_on(facts.ratings, end)
        rate = rules.rates.get((facts.kind, stars))
        draft = Draft(facts.station_id, facts.county, SubsidyType.OPERATING, stars, ZERO)
        if stars == 0:
            draft.lines.append(
                _c(rules.language, gettext_noop("no star level in force on %(date)s → 0")) % {"date": end}
            )
        elif rate is None or not rate[1]:
            draft.lines.append(
                _c(rules.language, gettext_noop("no operating rate for %(stars)s → 0"))
                % {"stars": star_words(stars, rules.language)}
            )
        else:
            base = rate[1]
            amount = base
            draft.lines.append(
                _c(rules.language, gettext_noop("%(stars)s → %(amount)s"))
                % {"stars": star_words(stars, rules.language), "amount": yuan(base)}
            )
            days = (end - start).days + 1
            if days < rules.period_days:
                amount = cents(base * days / rules.period_days)
                line = _c(rules.language, gettext_noop("pro rata %(days)s/%(period)s days → %(amount)s"))
                if facts.delisted_on and facts.delisted_on <= pe:
                    line = _c(
                        rules.language,
                        gettext_noop("delisted on %(date)s, pro rata %(days)s/%(period)s days → %(amount)s"),
                    )
                draft.lines.append(
                    line
                    % {"days": days, "period": rules.period_days, "amount": yuan(amount), "date": facts.delisted_on}
                )
            amount = _minimum_rule(draft, facts, rules, amount)
            if rules.suspend_while_rectifying:
                rect = rectifying_days(facts.rectifications, start, end)
                if rect:
                    deduction = min(cents(base * rect / rules.period_days), amount)
                    amount -= deduction
                    draft.lines.append(
                        _c(rules.language, gettext_noop("rectifying %(days)s/%(period)s days → −%(amount)s"))
                        % {"days": rect, "period": rules.period_days, "amount": yuan(deduction)}
                    )
            draft.amount = amount
        drafts.append(draft)
    if not facts.construction_given and not (facts.delisted_on and facts.delisted_on <= pe):
        rate = rules.rates.get((facts.kind, first[1]))
        if rate and rate[0]:
            drafts.append(
                Draft(
                    facts.station_id,
                    facts.county,
                    SubsidyType.CONSTRUCTION,
                    first[1],
                    cents(rate[0]),
                    [
                        _c(rules.language, gettext_noop("first qualified on %(date)s at %(stars)s → %(amount)s"))
                        % {"date": first[0], "stars": star_words(first[1], rules.language), "amount": yuan(rate[0])}
                    ],
                )
            )
    return drafts


def _minimum_rule(draft: Draft, facts: StationFacts, rules: Rules, amount: Decimal) -> Decimal:
    if not rules.min_activities and not rules.min_visitors:
        return amount
    if rules.min_activities and facts.activities >= rules.min_activities:
        draft.lines.append(
            _c(rules.language, gettext_noop("%(n)s activities ≥ %(min)s → full"))
            % {"n": facts.activities, "min": rules.min_activities}
        )
        return amount
    if rules.min_visitors and facts.visitors >= rules.min_visitors:
        draft.lines.append(
            _c(rules.language, gettext_noop("%(n)s visitors ≥ %(min)s → full"))
            % {"n": facts.visitors, "min": rules.min_visitors}
        )
        return amount
    amount = cents(amount * rules.shortfall_percent / 100)
    draft.lines.append(
        _c(
            rules.language,
            gettext_noop("%(n)s activities < %(min)s and %(v)s visitors < %(vmin)s → %(pct)s%% → %(amount)s"),
        )
        % {
            "n": facts.activities,
            "min": rules.min_activities,
            "v": facts.visitors,
            "vmin": rules.min_visitors,
            "pct": rules.shortfall_percent,
            "amount": yuan(amount),
        }
    )
    return amount


def apply_budget_cap(drafts: list[Draft], cap: Decimal | None, language: str | None = None) -> None:
    """Scale every county whose total exceeds ``cap`` down to exactly the cap, in proportion: each amount is
    rounded down to the fen and the fen left over go one each to the largest remainders (ties: station
    order), so the county's total is the cap to the fen."""
    if cap is None:
        return
    by_county: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_county[draft.county].append(draft)
    for county_drafts in by_county.values():
        total = sum((d.amount for d in county_drafts), ZERO)
        if total <= cap:
            continue
        ratio = cap / total
        exact = [(d, d.amount * ratio) for d in county_drafts]
        floors = [(d, x.quantize(CENT, rounding=ROUND_DOWN), x) for d, x in exact]
        leftover = int((cap - sum((f for _d, f, _x in floors), ZERO)) / CENT)
        order = sorted(range(len(floors)), key=lambda i: (-(floors[i][2] - floors[i][1]), floors[i][0].station_id))
        bonus = set(order[:leftover])
        for i, (draft, floor, _x) in enumerate(floors):
            draft.amount = floor + (CENT if i in bonus else ZERO)
            draft.lines.append(
                _c(language, gettext_noop("county budget cap %(cap)s (total %(total)s): × %(ratio)s → %(amount)s"))
                % {"cap": yuan(cap), "total": yuan(total), "ratio": f"{ratio:.4f}", "amount": yuan(draft.amount)}
            )
