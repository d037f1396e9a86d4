"""Personal data, one way: the only module that masks or reveals a resident ID or a mobile number.

* ``numbers`` - the values: :func:`mask` (by kind), :func:`mask_text` (every number in free text, in any
  form the admin search recognises), and the recognisers the search uses (:func:`as_resident_id`,
  :func:`as_mobile`, :func:`as_card_number`).
* ``access`` - who may see them: :func:`personal_data` gives a per-request :class:`PersonalData`;
  ``reveal(obj, fields)`` checks the permission and writes the reveal log.
* ``logs`` - the logging filter and formatter that mask every log line.

The admin's side (masked columns, write-only inputs, the reveal button and page) is
``unionhub.admin.personal``."""

from unionhub.personal.access import (
    REVEAL_PERMISSION,
    PersonalData,
    can_reveal,
    personal_data,
    set_reveal_log,
)
from unionhub.personal.numbers import (
    BANK_ACCOUNT,
    MOBILE,
    PERSONAL_FIELDS,
    RESIDENT_ID,
    as_card_number,
    as_id_prefix,
    as_mobile,
    as_resident_id,
    as_tail,
    clean_term,
    mask,
    mask_field,
    mask_name,
    mask_text,
)

__all__ = [
    "BANK_ACCOUNT",
    "MOBILE",
    "PERSONAL_FIELDS",
    "RESIDENT_ID",
    "REVEAL_PERMISSION",
    "PersonalData",
    "as_card_number",
    "as_id_prefix",
    "as_mobile",
    "as_resident_id",
    "as_tail",
    "can_reveal",
    "clean_term",
    "mask",
    "mask_field",
    "mask_name",
    "mask_text",
    "personal_data",
    "set_reveal_log",
]
