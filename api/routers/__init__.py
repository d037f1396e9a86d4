"""One module per app, each with a ``staff`` router (token of a staff account) and/or a ``worker`` router (the
mini-program). Adding an app's endpoints: write ``api/routers/<app>.py`` the same way and add one line here."""

from api.routers import casework, employment, hardship, membership, outreach, stations, workers

# (URL prefix under /api/v1/staff/ or /api/v1/worker/, module)
STAFF = [
    ("stations", stations),
    ("membership", membership),
    ("casework", casework),
    ("hardship", hardship),
    ("outreach", outreach),
    ("employment", employment),
]
WORKER = [("", workers), ("", stations), ("", membership), ("", casework), ("", outreach), ("", employment)]


def listed_models() -> list:
    """Every model a staff list endpoint reads: their deletions are recorded (``api.services.deletions``)."""
    return [spec.model for _prefix, module in STAFF for spec in module.SPECS]
