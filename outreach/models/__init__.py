from outreach.models.desks import JoiningDesk
from outreach.models.employers import Employer
from outreach.models.events import CheckIn, Event, SignUp
from outreach.models.imports import EmployerImport, EmployerImportRow
from outreach.models.projects import ServiceProject
from outreach.models.teams import OutreachTeam, Visit, VisitPhoto

__all__ = [
    "CheckIn",
    "Employer",
    "EmployerImport",
    "EmployerImportRow",
    "Event",
    "JoiningDesk",
    "OutreachTeam",
    "ServiceProject",
    "SignUp",
    "Visit",
    "VisitPhoto",
]
