"""数据 · Data: bring your own data in (files or a database), see how fresh each table is, read the glossary."""

from __future__ import annotations

import streamlit as st

from opsplan.contract import TABLES
from opsplan.loading import row_counts
from opsplan.metrics import registry_frame
from ui import data, leave_legacy_pages_mode
from ui.i18n import t
from ui.state import filters
from ui.uploads import load_query, load_upload, problems_frame
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

TEXT = {
    "purpose": (
        "导入自己的数据（CSV / Excel / Parquet 文件，或团队数据库的查询），"
        "查看每张表的新鲜度和导入记录，以及指标口径。",
        "Bring your own data in (CSV / Excel / Parquet files, or a query on the team's database), see how fresh "
        "each table is and every load, and read the metric glossary.",
    ),
    "upload": ("上传文件", "Upload files"),
    "table": ("导入到哪张表", "Table"),
    "files": ("文件（UTF-8、GBK 编码的 CSV，Excel，Parquet）", "Files (CSV in UTF-8 or GBK, Excel, Parquet)"),
    "load": ("校验并导入", "Validate and load"),
    "refused": (
        "导入被拒绝，仓库没有任何改动。请修正下面的问题后重试：",
        "The load was refused and nothing was written. Fix these and try again:",
    ),
    "loaded": (
        "已导入 {table}：读取 {read:,} 行，写入 {stored:,} 行。",
        "Loaded {table}: {read:,} rows read, {stored:,} stored.",
    ),
    "sql": ("从数据库导入", "Import from a database"),
    "url": ("SQLAlchemy 连接串", "SQLAlchemy URL"),
    "query": ("查询", "Query"),
    "run": ("运行查询并导入", "Run the query and load"),
    "fresh": ("每张表的新鲜度", "Freshness of each table"),
    "history": ("导入记录", "Load history"),
    "glossary": ("指标口径", "Metric glossary"),
    "counts": ("当前行数", "Rows now"),
}


def tr(key: str, lang: str, **values: object) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


def show_outcome(outcome, lang: str) -> None:  # noqa: ANN001 (ui.uploads.Outcome)
    if outcome.ok:
        r = outcome.result
        st.success(tr("loaded", lang, table=r.table, read=r.rows_in, stored=r.rows_stored))
        st.cache_data.clear()  # every page sees the new data on its next run
    else:
        st.error(tr("refused", lang))
        st.dataframe(problems_frame(outcome, lang), hide_index=True, width="stretch")


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_data", lang), tr("purpose", lang))
upload_tab, sql_tab, fresh_tab, glossary_tab = st.tabs(
    [tr("upload", lang), tr("sql", lang), tr("fresh", lang), tr("glossary", lang)]
)

with upload_tab:
    with st.form("upload"):
        table = st.selectbox(tr("table", lang), list(TABLES), key="upload_table")
        files = st.file_uploader(
            tr("files", lang), type=["csv", "txt", "xlsx", "xls", "parquet"], accept_multiple_files=True
        )
        submitted = st.form_submit_button(tr("load", lang), type="primary")
    if submitted and files:
        for upload in files:
            show_outcome(load_upload(wh, table, upload.name, upload.getvalue()), lang)

with sql_tab:
    with st.form("sql"):
        table = st.selectbox(tr("table", lang), list(TABLES), key="sql_table")
        url = st.text_input(tr("url", lang), placeholder="postgresql+psycopg://user:password@host/db", type="password")
        query = st.text_area(tr("query", lang), placeholder="SELECT user_id, signup_at, channel FROM users")
        run = st.form_submit_button(tr("run", lang), type="primary")
    if run and url and query:
        show_outcome(load_query(wh, table, url, query), lang)

with fresh_tab:
    st.dataframe(data.table_freshness(wh), hide_index=True, width="stretch")
    st.caption(tr("counts", lang) + ": " + ", ".join(f"{k} {v:,}" for k, v in row_counts(wh).items()))
    st.subheader(tr("history", lang))
    st.dataframe(data.load_history(wh), hide_index=True, width="stretch")

with glossary_tab:
    glossary = registry_frame()
    keep = ["name", "label_zh", "label_en", "unit", "direction", "grains", "definition"]
    st.dataframe(glossary[[c for c in keep if c in glossary.columns]], hide_index=True, width="stretch")
