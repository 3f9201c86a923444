"""OpsPlan: the engine behind the dashboard and the CLI. Never imports Streamlit."""

__version__ = "0.1.0"
