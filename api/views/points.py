"""The point a worker asks from, as the nearest-stations and vacancies-near endpoints read it: ``?lat=&lng=``
in ``?crs=`` (WGS-84, GCJ-02 or BD-09, the finder's ``OriginForm``), the system to answer in (``?out_crs=``,
else the same), and how many rows (``?limit=``, 1-50, default 20). Bad input is a problem with the field."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from api.views.problems import Problem, form_problem
from stations import geo
from stations.filtersets import OriginForm

NEAREST_MAX = 50
NEAREST_DEFAULT = 20
# The parameters these read: not filters of the list asked for.
POINT_PARAMS = ("lat", "lng", "crs", "out_crs", "limit")


def answer_crs(request) -> str:
    """The coordinate system the answer's positions are given in."""
    crs = request.GET.get("out_crs") or request.GET.get("crs") or geo.WGS84
    if crs not in geo.CRS_CHOICES:
        message = str(_("Unknown coordinate system “%(crs)s”. Use wgs84, gcj02 or bd09.")) % {"crs": crs[:20]}
        raise Problem(400, message, errors={"crs": [message]})
    return crs


def origin_of(request) -> tuple[float, float]:
    """The asked-from point in WGS-84 (lat, lng)."""
    data = QueryDict(mutable=True)
    data.update({key: request.GET[key] for key in ("lat", "lng") if key in request.GET})
    data["crs"] = request.GET.get("crs") or geo.WGS84
    form = OriginForm(data)
    if not form.is_valid():
        raise form_problem(form)
    return geo.to_wgs84(form.cleaned_data["lat"], form.cleaned_data["lng"], form.cleaned_data["crs"] or geo.WGS84)


def nearest_count(request) -> int:
    """How many of the nearest rows to answer with."""
    try:
        count = int(request.GET.get("limit") or NEAREST_DEFAULT)
    except ValueError:
        count = 0
    if not 1 <= count <= NEAREST_MAX:
        message = str(_("Enter a whole number from 1 to %(max)s.")) % {"max": NEAREST_MAX}
        raise Problem(400, message, errors={"limit": [message]})
    return count
