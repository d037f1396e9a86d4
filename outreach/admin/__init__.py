"""outreach admin; importing the modules registers their ModelAdmins."""
