"""Demo data of the core: regions, unions, one user per role."""

from unionhub.demo.core import (  # noqa: F401
    DEMO_PASSWORD,
    DEMO_USERS,
    JINCHENG,
    QINSHUI,
    QINSHUI_INDUSTRY,
    QINSHUI_UNIONS,
    YANGCHENG,
    CoreDemo,
    demo_credit_code,
    seed_core,
    seed_users,
)
