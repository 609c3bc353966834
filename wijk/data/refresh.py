"""Stub replaced below."""
def last_refresh():
    return None
class RefreshError(Exception):
    pass
