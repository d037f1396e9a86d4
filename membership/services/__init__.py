"""Membership services (writes: the only place for rules), one module per capability."""

from membership.services.applications import (  # noqa: F401
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    application_county,
    application_lookup,
    application_submit,
    reference_new,
    reference_normalize,
)
from membership.services.decisions import (  # noqa: F401
    BATCH_JOB,
    PROGRESS_EVERY,
    BulkOutcome,
    Progress,
    application_approve,
    application_reject,
    applications_bulk_decide,
    applications_decide,
    review_batch_create,
    review_batch_decide,
    review_batch_run,
)
from membership.services.members import (  # noqa: F401
    card_number_format,
    card_number_next,
    holding_pool,
    member_change,
    member_create,
    member_transfer,
    member_update,
    reveal_log_write,
    served_counties,
)
from membership.services.notices import (  # noqa: F401
    APPLICATION_APPROVED,
    APPLICATION_REJECTED,
    application_decision_notify,
)
from membership.services.roster import (  # noqa: F401
    BATCH,
    CHECK_JOB,
    CHECKABLE,
    IMPORT_JOB,
    STAGING_COLUMNS,
    roster_apply,
    roster_check_run,
    roster_check_start,
    roster_counts,
    roster_import_create,
    roster_import_run,
    roster_import_start,
    roster_job_failed,
    roster_mapping_set,
    roster_max_bytes,
    roster_preview,
)
from membership.services.roster_outcome import (  # noqa: F401
    RowProblem,
    roster_error_workbook,
    roster_problems,
    roster_skipped,
    roster_template,
    row_details,
    row_messages,
)
from membership.services.roster_rows import (  # noqa: F401
    COLUMNS,
    DEFAULT_OCCUPATION,
    ERROR_HEADER,
    IGNORED_COLUMNS,
    OCCUPATION_SYNONYMS,
    REQUIRED,
    ROW_HEADER,
    STATUS_SYNONYMS,
    TEMPLATE_HEADERS,
    UNION_PROBLEMS,
    RowCheck,
)
from membership.services.roster_sample import roster_changes, roster_defaults, roster_sample  # noqa: F401
from membership.services.roster_transfers import (  # noqa: F401
    TransferNote,
    roster_transfer_messages,
    roster_transfer_notes,
    roster_transfer_requests_send,
)
