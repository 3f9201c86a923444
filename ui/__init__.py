"""Streamlit-only helpers shared by the pages and app.py; every page opens with ``ui.frame.open_page``."""
