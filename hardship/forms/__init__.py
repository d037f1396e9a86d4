"""Forms of hardship: the input's shape only."""

from hardship.forms.admin import FiguresForm, MarkForm, StepForm
from hardship.forms.public import ApplyForm, StatusForm

__all__ = ["ApplyForm", "FiguresForm", "MarkForm", "StatusForm", "StepForm"]
