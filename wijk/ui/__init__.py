"""The frame: cached loaders, URL state, the shared sidebar, small widgets (with each feature's ui*.py,
the only code that imports Streamlit)."""
