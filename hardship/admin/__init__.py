"""hardship admin; importing the modules registers their ModelAdmins."""
