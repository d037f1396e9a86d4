"""Default data shipped with the app (national catalogues, default rating schemes), used by data migrations."""
