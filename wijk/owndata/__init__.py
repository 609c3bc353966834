"""Own data: upload, validation, suppression of small numbers, storage."""
