"""Celery tasks of api. The package imports every module so a worker registers every task."""
