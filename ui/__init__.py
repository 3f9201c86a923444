"""Streamlit-only helpers shared by the pages: cached engine calls keyed on the warehouse's data version."""
