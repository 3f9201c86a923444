"""数据 · Data: bring your own data in (files or a database), see how fresh each table is, read the glossary."""

from __future__ import annotations

import streamlit as st

from opsplan.metrics.registry import registry_frame
from opsplan.store.contract import TABLES
from ui import data
from ui.data_view import (
    PENDING,
    columns_hint,
    glossary,
    handle_upload,
    headed,
    show_outcome,
    sql_import,
    table_label,
)
from ui.frame import open_page

page = open_page("nav.data", "data.purpose")

upload_tab, sql_tab, fresh_tab, glossary_tab = st.tabs(
    [page.t("data.upload"), page.t("data.sql"), page.t("data.fresh"), page.t("data.glossary")]
)

with upload_tab:
    st.caption(page.t("data.all_or_nothing"))
    table = st.selectbox(
        page.t("data.table"),
        list(TABLES),
        key="upload_table",
        width=320,
        format_func=lambda x: table_label(x, page.lang),
    )
    st.caption(columns_hint(table, page.lang))
    with st.form("upload"):
        files = st.file_uploader(
            page.t("data.files"), type=["csv", "txt", "xlsx", "xls", "parquet"], accept_multiple_files=True
        )
        if st.form_submit_button(page.t("data.load"), type="primary") and files:
            st.session_state[PENDING] = (table, [(u.name, u.getvalue()) for u in files])
    if PENDING in st.session_state:  # put there by the form, or by a test (AppTest cannot drive the uploader)
        table, uploads = st.session_state.pop(PENDING)
        for name, content in uploads:
            show_outcome(handle_upload(page.wh, table, name, content), name, page.lang)

with sql_tab:
    sql_import(page.wh, list(TABLES), page.lang)

with fresh_tab:
    st.subheader(page.t("data.fresh_title"))
    engine = data.engine_of(page.wh)
    st.caption(page.t(f"data.engine_{engine.kind}", where=engine.where))
    st.dataframe(headed(data.table_freshness(page.wh), page.lang), hide_index=True, width="stretch")
    st.subheader(page.t("data.history"))
    st.dataframe(headed(data.load_history(page.wh), page.lang), hide_index=True, width="stretch")

with glossary_tab:
    st.dataframe(glossary(registry_frame(), page.lang), hide_index=True, width="stretch", height="content")
