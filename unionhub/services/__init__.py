"""Core services: regions; the one job mechanism."""

from unionhub.services.jobs import (  # noqa: F401
    JOB_KINDS,
    PROGRESS_CACHE_SECONDS,
    STORE_EVERY_SECONDS,
    JobKind,
    Progress,
    heartbeat_record,
    job_create,
    job_enqueue,
    job_execute,
    job_fail,
    job_for,
    job_kind,
    job_kind_label,
    job_kind_register,
    job_start,
    jobs_sweep,
    task_send,
)
from unionhub.services.regions import (  # noqa: F401
    DEFAULT_REGION_FILE,
    regions_load,
)
