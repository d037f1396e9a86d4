"""Station services (writes: the only place for rules), one module per capability."""

from stations.services.logs import (  # noqa: F401
    PreparedPhoto,
    photo_prepare,
    photos_check,
    station_day_log,
)
from stations.services.plaques import plaque_award, plaque_revoke  # noqa: F401
from stations.services.ratings import (  # noqa: F401
    RATEABLE,
    TENTH,
    evaluation_approve,
    evaluation_prefill,
    evaluation_return,
    evaluation_score,
    evaluation_start,
    evaluation_submit,
    station_satisfaction,
)
from stations.services.registry import (  # noqa: F401
    KIND_LETTER,
    opening_hours_check,
    operating_facilities_problem,
    rectification_close,
    rectification_issue,
    rectification_problems,
    required_facilities,
    station_change_status,
    station_missing_items,
    station_next_code,
    station_refresh,
    station_restore,
    station_save,
    status_change_problems,
)
from stations.services.schemes import (  # noqa: F401
    scheme_activate,
    scheme_for_station,
    scheme_new_version,
    scheme_save,
    scheme_total_points,
)
from stations.services.star_levels import star_in_force, star_rating_adjust, star_rating_revoke  # noqa: F401
from stations.services.subsidies import (  # noqa: F401
    RUN_JOB,
    rates_check,
    subsidy_payment_export,
    subsidy_policy_save,
    subsidy_run_approve,
    subsidy_run_compute,
    subsidy_run_create,
    subsidy_run_job_failed,
    subsidy_run_mark_paid,
    subsidy_run_start,
    subsidy_runs_due,
    subsidy_runs_due_start,
)
from stations.services.subsidy_compute import gather_facts, policy_covering  # noqa: F401
from stations.services.subsidy_rules import (  # noqa: F401
    CENT,
    ONE_DAY,
    ZERO,
    Draft,
    Rules,
    StationFacts,
    apply_budget_cap,
    cents,
    rectifying_days,
    star_words,
    stars_on,
    station_allocations,
    yuan,
)
from stations.services.worker_ratings import mobile_digest, station_rating_submit  # noqa: F401
