from outreach.forms.admin import EmployerImportForm, FoundUnionForm, MultiplePhotoField
from outreach.forms.public import SignUpForm

__all__ = ["EmployerImportForm", "FoundUnionForm", "MultiplePhotoField", "SignUpForm"]
