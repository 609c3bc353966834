"""Building and refreshing the harmonised data store (`python -m wijk.data build|refresh`)."""
