"""Database helpers shared by every app's migrations."""
