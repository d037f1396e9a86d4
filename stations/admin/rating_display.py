"""How the rating admin shows a scheme's internals to staff: star thresholds as 一星 60 … 五星 95, station
kinds and 六有 items by their Chinese labels, never the stored values (``["labour"]``, ``liuyou``, lists)."""

from __future__ import annotations

from django import forms

from stations.choices import LiuYou, StationKind
from stations.models import Indicator
from stations.models.ratings import stars_label


def thresholds_text(thresholds) -> str:
    """[60, 70, 80, 88, 95] → "★ 60 · ★★ 70 · ★★★ 80 · ★★★★ 88 · ★★★★★ 95" (minimum totals)."""
    if not thresholds:
        return "—"
    return " · ".join(f"{stars_label(n)} {value}" for n, value in enumerate(thresholds, start=1))


def kinds_text(kinds) -> str:
    return "、".join(str(StationKind(k).label) for k in kinds or () if k in StationKind.values) or "—"


def liuyou_text(value: str) -> str:
    return str(LiuYou(value).label) if value in LiuYou.values else (value or "—")


class IndicatorForm(forms.ModelForm):
    """The 六有 item is picked from its Chinese labels."""

    source_param = forms.ChoiceField(
        label=Indicator._meta.get_field("source_param").verbose_name,
        choices=[("", "—"), *LiuYou.choices],
        required=False,
        help_text=Indicator._meta.get_field("source_param").help_text,
    )

    class Meta:
        model = Indicator
        fields = ["sort_order", "group", "code", "name", "max_points", "source", "source_param", "guidance"]


def evaluation_thresholds(evaluation) -> str:
    """The scheme's minimum totals as a comma-separated list, for the running total on the evaluation form."""
    scheme = getattr(evaluation, "scheme", None) if evaluation is not None else None
    return ",".join(str(t) for t in (scheme.thresholds if scheme else []))
