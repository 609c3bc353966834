"""The data page: coverage, sources, refresh."""
