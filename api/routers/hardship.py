"""Hardship through the API: the staff's read access to the register of households in difficulty, the
programme cycles, the entitlements and the yearly re-checks - over hardship's list selectors (the same scope,
FilterSets and search as the admin's lists; resident ID, mobile and bank account masked unless revealed and
logged). Workers have no hardship endpoints: applying is done with the union's staff, in person."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from ninja import Router

from api.routers.lists import Col, ListSpec, add_list_endpoints, history_changed_since
from api.views.text import zh
from hardship.models import Cycle, Entitlement, Household, Recheck
from hardship.selectors.lists import cycle_list, entitlement_list, household_list, recheck_list

SPECS = [
    ListSpec(
        key="households",
        model=Household,
        select=household_list,
        related=("union",),
        changed_since=history_changed_since,
        columns=[
            Col("id", int, _("Internal id.")),
            Col("head_name", str, _("Head of household.")),
            Col("resident_id", str, _("Resident ID number (masked unless revealed).")),
            Col("mobile", str, _("Mobile number (masked unless revealed).")),
            Col("bank_account", str, _("Bank account (masked unless revealed).")),
            Col("union", int, _("Union (id)."), "union_id"),
            Col("union_name", str, _("Grassroots union."), "union__name"),
            Col("county", str, _("County (code).")),
            Col("layer", str, _("Layer (code).")),
            Col("cause", str, _("Cause of hardship (code).")),
            Col("people_count", int, _("People in the household.")),
            Col("annual_income", str, _("Household income a year in yuan, to the fen (a decimal string).")),
            Col("status", str, _("Status (code).")),
            Col("applied_on", dt.date, _("Applied on.")),
            Col("filed_on", dt.date, _("On file since.")),
            Col("left_on", dt.date, _("Left on.")),
            Col("recheck_due", dt.date, _("Re-check due.")),
        ],
    ),
    ListSpec(
        key="cycles",
        model=Cycle,
        select=cycle_list,
        related=("programme",),
        changed_since=history_changed_since,
        columns=[
            Col("id", int, _("Internal id.")),
            Col("programme", int, _("Assistance programme (id)."), "programme_id"),
            Col("programme_name", str, _("Assistance programme."), "programme__name"),
            Col("county", str, _("County (code)."), "programme__county_id"),
            Col("name", str, _("Name.")),
            Col("period_start", dt.date, _("Period start.")),
            Col("period_end", dt.date, _("Period end.")),
            Col("status", str, _("Status (code).")),
            Col("total", str, _("Total in yuan, to the fen (a decimal string).")),
            Col("entitlement_count", int, _("Entitlements.")),
            Col("computed_at", dt.datetime, _("Computed at.")),
            Col("approved_at", dt.datetime, _("Approved at.")),
        ],
    ),
    ListSpec(
        key="entitlements",
        model=Entitlement,
        select=entitlement_list,
        related=("household",),
        # No changes export: an entitlement's payment status changes (failed, returned, re-issued) are not
        # timestamped and it keeps no history; a platform reads a cycle's entitlements from the list.
        columns=[
            Col("id", int, _("Internal id.")),
            Col("cycle", int, _("Programme cycle (id)."), "cycle_id"),
            Col("household", int, _("Household (id)."), "household_id"),
            Col("head_name", str, _("Head of household."), "household__head_name"),
            Col("person", int, _("Household member (id), for a programme paid per person."), "person_id"),
            Col("county", str, _("County (code).")),
            Col("layer", str, _("Layer (code).")),
            Col("amount", str, _("Amount in yuan, to the fen (a decimal string).")),
            Col("status", str, _("Payment status (code).")),
            Col("reissue_of", int, _("Re-issue of (id)."), "reissue_of_id"),
            Col("paid_on", dt.date, _("Paid on.")),
        ],
    ),
    ListSpec(
        key="rechecks",
        model=Recheck,
        select=recheck_list,
        related=("household",),
        columns=[
            Col("id", int, _("Internal id.")),
            Col("household", int, _("Household (id)."), "household_id"),
            Col("head_name", str, _("Head of household."), "household__head_name"),
            Col("year", int, _("Year.")),
            Col("due_on", dt.date, _("Due on.")),
            Col("done_on", dt.date, _("Done on.")),
            Col("note", str, _("Finding.")),
        ],
    ),
]

staff = Router(tags=[zh(_("Staff: hardship"))])
for _spec in SPECS:
    add_list_endpoints(staff, _spec)
