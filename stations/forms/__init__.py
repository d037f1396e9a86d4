"""Station forms: the registry (admin) and the public pages."""

from stations.forms.public import (  # noqa: F401
    StationRatingForm,
)
from stations.forms.registry import (  # noqa: F401
    ManagerStationForm,
    OpeningHoursFormSet,
    StationForm,
)
