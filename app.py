"""OpsPlan dashboard frame: page config and navigation. The pages live in pages/ and stay thin."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="OpsPlan 运营计划看板", page_icon="📈", layout="wide")

navigation = st.navigation([st.Page("pages/overview.py", title="今日 Today", default=True)])
navigation.run()
