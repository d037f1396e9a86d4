"""Celery tasks of hardship. The package imports every module so a worker registers every task."""
