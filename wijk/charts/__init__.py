"""Altair chart builders: data in, chart out (one module per screen)."""
