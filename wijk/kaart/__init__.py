"""The map screen: boundaries, classes, facilities."""
