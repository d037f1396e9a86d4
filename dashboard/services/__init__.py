"""Dashboard services (writes): the scheduled refresh of the dashboard's figures."""
