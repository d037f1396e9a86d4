"""Domain operations for regions and union organisations."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from unionhub.models.regions import Region
from unionhub.validators import REGION_CODE_LENGTHS, validate_region_code

DEFAULT_REGION_FILE = Path(__file__).resolve().parent.parent / "data" / "regions_shanxi.csv"


@transaction.atomic
def regions_load(*, path: Path = DEFAULT_REGION_FILE) -> int:
    """Load or update regions from a ``code,name`` CSV (UTF-8). Parents before children, all or nothing.

    Returns the number of regions created or renamed. Every bad line is reported at once, with its line
    number, and nothing is written."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    errors = []
    wanted: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
        try:
            validate_region_code(code)
        except ValidationError as exc:
            errors.append(_("line %(line)s: %(error)s") % {"line": line, "error": " ".join(exc.messages)})
            continue
        if not name:
            errors.append(_("line %(line)s: the name is empty") % {"line": line})
        wanted[code] = name
    existing = dict(Region.objects.values_list("code", "name"))
    for code in wanted:
        parent = Region.parent_code(code)
        if parent and parent not in wanted and parent not in existing:
            errors.append(_("%(code)s: its parent %(parent)s is missing") % {"code": code, "parent": parent})
    if errors:
        raise ValidationError(errors)
    changed = 0
    for code in sorted(wanted, key=lambda c: (len(c), c)):
        if existing.get(code) == wanted[code]:
            continue
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": wanted[code],
                "level": REGION_CODE_LENGTHS[len(code)],
                "parent_id": Region.parent_code(code),
            },
        )
        changed += 1
    return changed
