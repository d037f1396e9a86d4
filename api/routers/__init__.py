"""One module per app, each with a ``staff`` router (token of a staff account) and/or a ``worker`` router (the
mini-program). Adding an app's endpoints: write ``api/routers/<app>.py`` the same way and add one line here."""

from api.routers import casework, membership, stations, workers

# (URL prefix under /api/v1/staff/ or /api/v1/worker/, module)
STAFF = [("stations", stations), ("membership", membership), ("casework", casework)]
WORKER = [("", workers), ("", stations), ("", membership), ("", casework)]
