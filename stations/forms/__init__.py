"""Station forms."""

from stations.forms.registry import (  # noqa: F401
    ManagerStationForm,
    OpeningHoursFormSet,
    StationForm,
)
