"""Public station pages: the finder, the station page, posters, workers' ratings."""

from stations.views.finder import (  # noqa: F401
    AMAP_MARKER_URL,
    GEOJSON_CACHE_SECONDS,
    POSTER_HOURS_LINES,
    distance_text,
    navigate_url,
    public_url,
    station_detail,
    station_list,
    station_poster,
    stations_geojson,
)
from stations.views.rating import (  # noqa: F401
    station_rate,
)
