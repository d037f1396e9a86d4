"""Forms of hardship: the input's shape only."""

from hardship.forms.admin import FiguresForm, MarkForm, StepForm

__all__ = ["FiguresForm", "MarkForm", "StepForm"]
