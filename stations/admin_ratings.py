"""Admin for rating schemes, evaluations, star ratings, subsidy policies and runs (filled in by the ratings work)."""
