from outreach.forms.admin import EmployerImportConfirmForm, EmployerImportForm, FoundUnionForm, MultiplePhotoField
from outreach.forms.public import SignUpForm

__all__ = ["EmployerImportConfirmForm", "EmployerImportForm", "FoundUnionForm", "MultiplePhotoField", "SignUpForm"]
