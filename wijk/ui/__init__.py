"""The only part of wijk/ that knows Streamlit: cached loaders, the shared sidebar, small widgets."""
