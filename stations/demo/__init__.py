"""Demo data of the stations app: the registry, then star ratings, workers' ratings and subsidies."""

from stations.demo import ratings, registry


def seed(core) -> None:
    registry.seed(core)
    ratings.seed(core)
