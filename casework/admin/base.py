"""Admin base for requests: scoping through ``casework.selectors.reach`` (region/station scope plus the
handler's own desk) instead of the plain region scope, everything else from ``ScopedModelAdmin``."""

from __future__ import annotations

from casework.selectors.reach import related_reached, requests_reached
from unionhub.admin.base import ScopedAdminMixin, ScopedModelAdmin


class RequestReachAdmin(ScopedModelAdmin):
    """For ``WorkerRequest``: what ``requests_reached`` allows. Saves go through the handling services, which
    never move a request out of the region it was filed in, so the form needs no region check."""

    reach_path: str | None = None  # None: the model is WorkerRequest; else the path to it

    def get_queryset(self, request):
        queryset = super(ScopedAdminMixin, self).get_queryset(request)
        if self.reach_path:
            return related_reached(queryset, request.user, self.reach_path)
        return requests_reached(request.user, queryset)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return super(ScopedAdminMixin, self).get_form(request, obj, change=change, **kwargs)
