"""Domain operations on applications and members. The public views, the admin, the Celery tasks and the demo
loader call these; none of them holds membership rules of its own.

Scoping is the caller's business (the admin hands over objects from its scoped querysets; a batch job
re-scopes its ids to the user who asked for it)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from contextlib import nullcontext

from django.db import IntegrityError, connections, router, transaction

from membership.choices import (
    JOINABLE_KINDS,
    Channel,
)
from membership.models import (
    MembershipApplication,
)

# The reference's alphabet and reading a typed one back are the model's (the queue's search reads them too).
from membership.models.applications import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    holder_county_sql,
    reference_normalize,
)
from stations.models import Station
from unionhub.models.regions import UnionOrganization

logger = logging.getLogger(__name__)

# --- Submission --------------------------------------------------------------------------------------------


def reference_new() -> str:
    """A random reference number: 31^8 ≈ 8.5e11 values, so it cannot be guessed (and the status page asks for
    the mobile number as well)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def application_county(
    *,
    station: Station | None = None,
    union: UnionOrganization | None = None,
    source_union: UnionOrganization | None = None,
    county_code: str | None = None,
    resident_id: str = "",
    served: Iterable[str] = (),
) -> str | None:
    """The county whose staff review an application: the union's (chosen by the worker or given by a union's
    QR code - the member will belong to it), else the QR code's station's or federation's, else the county the
    worker chose, else the county that issued the ID number if it is one of the ``served`` counties (those
    with a holding-pool union). None when nothing says."""
    for candidate in (
        union.region_id[:6] if union else None,
        station.region_id[:6] if station else None,
        source_union.region_id[:6] if source_union else None,
        county_code,
    ):
        if candidate and len(candidate) == 6:
            return candidate
    issued = resident_id[:6]
    return issued if issued in set(served) else None


def application_submit(
    *,
    name: str,
    resident_id: str,
    mobile: str,
    occupation: str,
    employer: str = "",
    union: UnionOrganization | None = None,
    county_code: str | None = None,
    source_station: Station | None = None,
    source_union: UnionOrganization | None = None,
    event: str = "",
    consent_version: str,
    served_counties: Iterable[str] = (),
) -> MembershipApplication:
    """Record an application from the public join page and return it (its ``reference`` is the worker's).

    The same answer whoever applies: the response never depends on the member register. An ID number that
    already belongs to a member makes the application a *transfer request* decided by the county that holds
    the member (``county`` is set to it, whatever union was named): only that county sees the request, with
    whether the mobile number matches the member's registered one - the proof that the applicant is the
    member. No other county learns that the person is a member anywhere (see ``application_approve``).

    One statement: an INSERT whose county asks the register (``_insert``). The foreign keys arrive as objects
    the form already loaded, so ``full_clean`` skips them, and the random reference's uniqueness is left to
    the database (a collision, about one in 10^11 per pair, is retried)."""
    if union is None and source_union is not None and source_union.kind in JOINABLE_KINDS:
        union = source_union  # a grassroots union's or industry federation's own QR code
    application = MembershipApplication(
        name=name,
        resident_id=resident_id,
        mobile=mobile,
        employer=(employer or "").strip(),
        occupation=occupation,
        union=union,
        source_station=source_station,
        source_union=source_union,
        channel=Channel.STATION_QR if source_station else Channel.UNION_QR if source_union else Channel.DIRECT,
        event=(event or "")[:50],
        consent_version=consent_version,
    )
    application.set_personal_details()
    application.county_id = application_county(
        station=source_station,
        union=union,
        source_union=source_union,
        county_code=county_code,
        resident_id=application.resident_id,
        served=served_counties,
    )
    # The check constraint concerns rejections only; skipping it (and the unique check) saves two queries.
    # clean() routes by the union's county alone: the INSERT below asks the register for a holding member.
    application._holder_county = None
    try:
        application.full_clean(
            exclude=["union", "county", "source_station", "source_union", "decided_by", "member"],
            validate_unique=False,
            validate_constraints=False,
        )
    finally:
        del application._holder_county
    # Outside a transaction (a web request) the INSERT commits on its own; a BEGIN/COMMIT around it would
    # cost two round trips. Inside one, a savepoint keeps a reference collision from breaking it.
    guard = transaction.atomic if transaction.get_connection().in_atomic_block else nullcontext
    for _attempt in range(3):
        application.reference = reference_new()
        try:
            with guard():
                _insert(application)
            return application
        except IntegrityError:
            if MembershipApplication.objects.filter(reference=application.reference).exists():
                continue
            raise
    raise RuntimeError("could not draw a free reference number")


_INSERTS: dict[str, tuple[str, list]] = {}


def _insert_statement(connection) -> tuple[str, list]:
    """The application's INSERT, its county taken from the register when the ID number is a member's: the
    member's county decides a transfer request, whatever the form said (``MembershipApplication.holder_county``
    is the same rule as a query of its own). Built once per database from the model's fields."""
    if connection.vendor not in _INSERTS:
        meta, quote = MembershipApplication._meta, connection.ops.quote_name
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        county = meta.get_field("county")
        values = ", ".join(
            f"COALESCE({holder_county_sql(connection)}, %s)" if field is county else "%s" for field in fields
        )
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({values}) RETURNING {quote(meta.pk.column)}, {quote(county.column)}"
        )
        _INSERTS[connection.vendor] = (sql, fields)
    return _INSERTS[connection.vendor]


def _insert(application: MembershipApplication) -> None:
    """``application.save(force_insert=True)`` in one statement with the register's routing, without the ORM's
    per-call compilation: the public join POST's only write. No signal is sent; nothing listens for one
    (applications keep no history trail, see the model)."""
    alias = router.db_for_write(MembershipApplication)
    connection = connections[alias]
    sql, fields = _insert_statement(connection)
    params = []
    for field in fields:
        value = field.get_db_prep_save(field.pre_save(application, True), connection)
        params += [application.resident_id, value] if field.name == "county" else [value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        application.pk, application.county_id = cursor.fetchone()
    application._state.adding, application._state.db = False, alias


def application_lookup(*, reference: str, mobile: str) -> MembershipApplication | None:
    """The application with this reference and mobile number, or None - the same None whether the reference
    does not exist or the mobile number does not match it."""
    return (
        MembershipApplication.objects.select_related("member", "union")
        .filter(reference=reference_normalize(reference), mobile=mobile)
        .first()
    )
