"""数据 · Data: bring your own data in (files or a database), see how fresh each table is, read the glossary."""

from __future__ import annotations

import streamlit as st

from opsplan.contract import TABLES
from opsplan.metrics import registry_frame
from ui import data, leave_legacy_pages_mode
from ui.data_view import (
    columns_hint,
    configured_connections,
    glossary,
    handle_query,
    handle_upload,
    headed,
    show_outcome,
)
from ui.i18n import t
from ui.state import filters
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

#: loads waiting to run, put there by the forms (and by tests: AppTest cannot drive st.file_uploader, and a form
#: submit under app.py's navigation loses its trigger in AppTest). Popped at once, so each runs exactly once.
PENDING = "data_pending_upload"  # (table, [(file name, bytes), …])
PENDING_QUERY = "data_pending_query"  # (table, connection name, saved query name or "", typed SELECT or "")

f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_data", lang), t("data_purpose", lang))
upload_tab, sql_tab, fresh_tab, glossary_tab = st.tabs(
    [t("data_upload", lang), t("data_sql", lang), t("data_fresh", lang), t("data_glossary", lang)]
)

with upload_tab:
    st.caption(t("data_all_or_nothing", lang))
    table = st.selectbox(t("data_table", lang), list(TABLES), key="upload_table", width=320)
    st.caption(columns_hint(table, lang))
    with st.form("upload"):
        files = st.file_uploader(
            t("data_files", lang), type=["csv", "txt", "xlsx", "xls", "parquet"], accept_multiple_files=True
        )
        if st.form_submit_button(t("data_load", lang), type="primary") and files:
            st.session_state[PENDING] = (table, [(u.name, u.getvalue()) for u in files])
    if PENDING in st.session_state:
        table, uploads = st.session_state.pop(PENDING)
        for name, content in uploads:
            show_outcome(handle_upload(wh, table, name, content), name, lang)

with sql_tab:
    # a connection by its name only: the admin's secrets hold the URL (a URL typed here would make the page a
    # SQL shell on any host, file or port the dashboard's machine can reach)
    st.caption(t("data_all_or_nothing", lang))
    conns = configured_connections()
    for bad, reason in conns.refused:
        st.warning(t("data_connection_refused", lang, name=bad, reason=reason))
    if not conns.usable:
        st.info(t("data_no_connections", lang))
    else:
        table = st.selectbox(t("data_table", lang), list(TABLES), key="sql_table", width=320)
        st.caption(columns_hint(table, lang))
        name = st.selectbox(
            t("data_connection", lang),
            conns.names,
            key="sql_connection",
            width=320,
            help=t("data_connection_help", lang),
        )
        conn = conns.get(name)
        saved = st.selectbox(
            t("data_saved_query", lang),
            [*conn.query_names, ""],
            key="sql_saved",
            width=320,
            format_func=lambda q: q or t("data_typed_query", lang),
        )
        st.caption(t("data_sql_rules", lang, rows=conn.max_rows, seconds=conn.timeout_seconds))
        with st.form("sql"):
            query = ""
            if saved:
                st.code(conn.saved(saved), language="sql")
            else:
                query = st.text_area(t("data_query", lang), placeholder="SELECT user_id, signup_at, channel FROM users")
            if st.form_submit_button(t("data_run", lang), type="primary") and (saved or query.strip()):
                st.session_state[PENDING_QUERY] = (table, name, saved, query)
    if PENDING_QUERY in st.session_state:
        table, name, saved, query = st.session_state.pop(PENDING_QUERY)
        outcome, source = handle_query(wh, table, name, saved or None, query or None)
        show_outcome(outcome, source, lang)

with fresh_tab:
    st.subheader(t("data_fresh_title", lang))
    st.dataframe(headed(data.table_freshness(wh), lang), hide_index=True, width="stretch")
    st.subheader(t("data_history", lang))
    st.dataframe(headed(data.load_history(wh), lang), hide_index=True, width="stretch")

with glossary_tab:
    st.dataframe(glossary(registry_frame(), lang), hide_index=True, width="stretch", height="content")
