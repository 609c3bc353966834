"""The small core every feature stands on: codes, areas, catalogue, store, selection, text, i18n, paths."""
