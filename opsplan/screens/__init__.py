"""Display-independent pieces of the dashboard's screens: plain functions over frames, no Streamlit."""
