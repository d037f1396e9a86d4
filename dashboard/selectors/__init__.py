"""Dashboard reads over the domain apps' selectors."""
