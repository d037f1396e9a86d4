"""Celery tasks for casework; every module is imported here so a worker registers every task."""

from casework.tasks.sweep import casework_sweep_task

__all__ = ["casework_sweep_task"]
