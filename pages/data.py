"""数据 · Data: bring your own data in (files or a database), see how fresh each table is, read the glossary."""

from __future__ import annotations

import streamlit as st

from opsplan.metrics.registry import registry_frame
from opsplan.store.contract import TABLES
from ui import data
from ui.data_view import (
    columns_hint,
    configured_connections,
    glossary,
    handle_query,
    handle_upload,
    headed,
    show_outcome,
)
from ui.frame import open_page

page = open_page("page_data", "data_purpose")

#: loads waiting to run, put there by the forms (and by tests: AppTest cannot drive st.file_uploader, and a form
#: submit under app.py's navigation loses its trigger in AppTest). Popped at once, so each runs exactly once.
PENDING = "data_pending_upload"  # (table, [(file name, bytes), …])
PENDING_QUERY = "data_pending_query"  # (table, connection name, saved query name or "", typed SELECT or "")
upload_tab, sql_tab, fresh_tab, glossary_tab = st.tabs(
    [page.t("data_upload"), page.t("data_sql"), page.t("data_fresh"), page.t("data_glossary")]
)

with upload_tab:
    st.caption(page.t("data_all_or_nothing"))
    table = st.selectbox(page.t("data_table"), list(TABLES), key="upload_table", width=320)
    st.caption(columns_hint(table, page.lang))
    with st.form("upload"):
        files = st.file_uploader(
            page.t("data_files"), type=["csv", "txt", "xlsx", "xls", "parquet"], accept_multiple_files=True
        )
        if st.form_submit_button(page.t("data_load"), type="primary") and files:
            st.session_state[PENDING] = (table, [(u.name, u.getvalue()) for u in files])
    if PENDING in st.session_state:
        table, uploads = st.session_state.pop(PENDING)
        for name, content in uploads:
            show_outcome(handle_upload(page.wh, table, name, content), name, page.lang)

with sql_tab:
    # a connection by its name only: the admin's secrets hold the URL (a URL typed here would make the page a
    # SQL shell on any host, file or port the dashboard's machine can reach)
    st.caption(page.t("data_all_or_nothing"))
    conns = configured_connections()
    for bad, reason in conns.refused:
        st.warning(page.t("data_connection_refused", name=bad, reason=reason))
    if not conns.usable:
        st.info(page.t("data_no_connections"))
    else:
        table = st.selectbox(page.t("data_table"), list(TABLES), key="sql_table", width=320)
        st.caption(columns_hint(table, page.lang))
        name = st.selectbox(
            page.t("data_connection"),
            conns.names,
            key="sql_connection",
            width=320,
            help=page.t("data_connection_help"),
        )
        conn = conns.get(name)
        saved = st.selectbox(
            page.t("data_saved_query"),
            [*conn.query_names, ""],
            key="sql_saved",
            width=320,
            format_func=lambda q: q or page.t("data_typed_query"),
        )
        st.caption(page.t("data_sql_rules", rows=conn.max_rows, seconds=conn.timeout_seconds))
        with st.form("sql"):
            query = ""
            if saved:
                st.code(conn.saved(saved), language="sql")
            else:
                query = st.text_area(page.t("data_query"), placeholder="SELECT user_id, signup_at, channel FROM users")
            if st.form_submit_button(page.t("data_run"), type="primary") and (saved or query.strip()):
                st.session_state[PENDING_QUERY] = (table, name, saved, query)
    if PENDING_QUERY in st.session_state:
        table, name, saved, query = st.session_state.pop(PENDING_QUERY)
        outcome, source = handle_query(page.wh, table, name, saved or None, query or None)
        show_outcome(outcome, source, page.lang)

with fresh_tab:
    st.subheader(page.t("data_fresh_title"))
    st.dataframe(headed(data.table_freshness(page.wh), page.lang), hide_index=True, width="stretch")
    st.subheader(page.t("data_history"))
    st.dataframe(headed(data.load_history(page.wh), page.lang), hide_index=True, width="stretch")

with glossary_tab:
    st.dataframe(glossary(registry_frame(), page.lang), hide_index=True, width="stretch", height="content")
