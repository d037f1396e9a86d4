"""Models of employment; the package imports every module."""

from employment.models.fairs import FairEmployer, FairSignup, JobFair
from employment.models.sheets import JobSheet
from employment.models.vacancies import MinimumWage, Vacancy, VacancyCheck
from employment.models.wishes import JobWish, Referral

__all__ = [
    "FairEmployer",
    "FairSignup",
    "JobFair",
    "JobSheet",
    "JobWish",
    "MinimumWage",
    "Referral",
    "Vacancy",
    "VacancyCheck",
]
