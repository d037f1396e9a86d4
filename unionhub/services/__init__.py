"""Core services: regions; the one job mechanism; the messages core."""

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
from unionhub.services.messages import (  # noqa: F401
    DELIVER_TASK,
    TEMPLATES,
    MessageTemplate,
    message_deliver,
    message_template,
    message_template_get,
    message_template_label,
    messages_about,
    messages_dispatch,
    messages_sweep,
    send_message,
)
from unionhub.services.regions import (  # noqa: F401
    DEFAULT_REGION_FILE,
    regions_load,
)
