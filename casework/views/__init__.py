"""Casework pages: public pages for workers; the admin pages live in casework.admin."""
