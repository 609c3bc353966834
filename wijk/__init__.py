"""Wijkbeeld: a truthful picture of a Dutch neighbourhood from CBS figures."""
