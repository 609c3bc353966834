"""The perception screen: guess first, then the data; the workshop with its room, phones and report."""
