"""The Weekly review and Data pages' words (merged into ui.i18n.TEXT), their cached report and the display of
a load's outcome. The loading itself (a refused load writes nothing) is ui.uploads → opsplan.store.loading."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from opsplan.report.weekly import weekly_report
from opsplan.store.connections import Connections, ConnectionSettingsError, parse_connections
from opsplan.store.contract import get_table
from opsplan.store.loading import LoadError, load_sql
from opsplan.store.warehouse import Warehouse, data_version
from ui import data
from ui.i18n import TEXT, t
from ui.uploads import Outcome, load_upload, problems_frame

TEXT.update(
    {
        # weekly review
        "review_purpose": (
            "周会用的周报：本周核心指标对比上周与目标、目标状态、本周触发或恢复的止损、渠道表、关键举措、"
            "最新成熟同期群和预算；可下载 Markdown 或离线可看的 HTML。",
            "The Monday review of an ISO week: KPIs against last week and the targets, target statuses, flags "
            "fired or resolved, the channel table, initiatives, the newest mature cohorts and the budget; download "
            "it as Markdown or as an HTML file that opens offline.",
        ),
        "review_week": ("周（ISO 周，周一至周日）", "Week (ISO, Monday to Sunday)"),
        "review_partial": (
            "这一周还没过完（数据截至 {through}），数字只到截至日。",
            "This week is not over yet (data through {through}); its numbers stop there.",
        ),
        "review_md": ("下载 Markdown", "Download Markdown"),
        "review_html": ("下载 HTML（离线可看）", "Download HTML (opens offline)"),
        # data
        "data_purpose": (
            "导入自己的数据（CSV / Excel / Parquet 文件，或团队数据库的查询），查看每张表的新鲜度和导入记录，"
            "以及指标口径。",
            "Bring your own data in (CSV / Excel / Parquet files, or a query on the team's database), see how "
            "fresh each table is and every load, and read the metric glossary.",
        ),
        "data_upload": ("上传文件", "Upload files"),
        "data_table": ("导入到哪张表", "Table"),
        "data_files": ("文件（UTF-8、GBK 编码的 CSV，Excel，Parquet）", "Files (CSV in UTF-8 or GBK, Excel, Parquet)"),
        "data_load": ("校验并导入", "Validate and load"),
        "data_all_or_nothing": (
            "先校验全部行，全部通过才写入；有任何问题则一行都不写。",
            "Every row is checked first; only a clean file is written, otherwise nothing is.",
        ),
        "data_refused": (
            "{source}：导入被拒绝，仓库没有任何改动。请修正下面的问题后重试：",
            "{source}: the load was refused and nothing was written. Fix these and try again:",
        ),
        "data_loaded": (
            "已导入 {table}：读取 {read:,} 行，写入 {stored:,} 行。",
            "Loaded {table}: {read:,} rows read, {stored:,} stored.",
        ),
        "data_columns": (
            "必填列：{required}；可选列：{optional}。按 {keys} 重复的行会替换已有的行。",
            "Required columns: {required}; optional: {optional}. Rows with the same {keys} replace the stored ones.",
        ),
        "data_sql": ("从数据库导入", "Import from a database"),
        "data_connection": ("数据库连接", "Database connection"),
        "data_connection_help": (
            "管理员在 secrets 中配置的连接；连接串和密码不会显示，导入记录只写连接名。",
            "A connection the admin configured in the secrets; its URL and password are never shown, the load "
            "history names only the connection.",
        ),
        "data_no_connections": (
            '还没有配置数据库连接。管理员在 .streamlit/secrets.toml 中添加 [connections.名称]，写上 url = "…"'
            "（可选 max_rows、timeout_seconds 和 [connections.名称.queries] 保存的查询）后，这里就能按名称选择。",
            'No database connection is configured. An admin adds [connections.NAME] with url = "…" (optional '
            "max_rows, timeout_seconds and saved queries in [connections.NAME.queries]) to .streamlit/secrets.toml; "
            "then it can be picked here by name.",
        ),
        "data_connection_refused": ("连接 {name} 不能使用：{reason}", "Connection {name} cannot be used: {reason}"),
        "data_saved_query": ("查询", "Query"),
        "data_typed_query": ("自己写一条 SELECT", "Type a SELECT"),
        "data_query": ("SELECT 查询", "SELECT query"),
        "data_sql_rules": (
            "只运行一条 SELECT（不能增删改、建表或调用读文件的函数），在只读事务中执行；"
            "最多 {rows:,} 行、{seconds:g} 秒。",
            "Runs exactly one SELECT (nothing that writes, no DDL, no file functions) in a read-only transaction; "
            "at most {rows:,} rows and {seconds:g} s.",
        ),
        "data_run": ("运行查询并导入", "Run the query and load"),
        "data_fresh": ("新鲜度", "Freshness"),
        "data_fresh_title": ("每张表的新鲜度", "Freshness of each table"),
        "data_history": ("导入记录", "Load history"),
        "data_glossary": ("指标口径", "Metric glossary"),
    }
)

#: column headings of the freshness, load-history and glossary tables
COLUMNS: dict[str, tuple[str, str]] = {
    "table": ("表", "table"),
    "table_name": ("表", "table"),
    "rows": ("行数", "rows"),
    "first_day": ("最早日期", "first day"),
    "latest_day": ("最新日期", "latest day"),
    "last_load": ("最近导入编号", "last load"),
    "loaded_at": ("导入时间", "loaded at"),
    "load_id": ("导入编号", "load"),
    "source": ("来源", "source"),
    "rows_in": ("读取行数", "rows read"),
    "rows_stored": ("写入行数", "rows stored"),
    "rows_replaced": ("替换行数", "rows replaced"),
    "rows_rejected": ("拒绝行数", "rows rejected"),
    "checksum": ("校验和", "checksum"),
    "min_day": ("起", "from"),
    "max_day": ("止", "to"),
    "name": ("指标", "metric"),
    "label_zh": ("中文名", "Chinese label"),
    "label_en": ("英文名", "English label"),
    "unit": ("单位", "unit"),
    "direction": ("方向", "direction"),
    "grains": ("粒度", "grains"),
    "definition": ("定义", "definition"),
}


def headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with its column names in ``lang``."""
    i = 0 if lang == "zh" else 1
    return frame.rename(columns={c: COLUMNS[c][i] for c in frame.columns if c in COLUMNS})


def glossary(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The registry (``registry_frame``): each metric's code, both labels and its definition."""
    keep = ["name", "label_zh", "label_en", "unit", "direction", "grains", "definition"]
    return headed(frame[[c for c in keep if c in frame.columns]], lang)


@st.cache_data(ttl=data.TTL, show_spinner=False)
def _report(path: str, version: str, plan_file: str, mtime: float, week: str, fmt: str, lang: str) -> str:
    found, _ = data.plan()
    assert found is not None  # the page asks only with a usable plan
    return weekly_report(Warehouse(Path(path)), found, week, fmt=fmt, lang=lang)


def report(wh: Warehouse, week: str, fmt: str, lang: str) -> str:
    """opsplan.report.weekly.weekly_report through the cache (warehouse version and plan file's mtime in the key)."""
    p = data.plan_path()
    return _report(str(wh.path), data_version(wh), str(p), p.stat().st_mtime, week, fmt, lang)


def columns_hint(table: str, lang: str) -> str:
    """The columns the data contract asks of ``table``, so a person can check a file before loading it."""
    spec = get_table(table)
    required = ", ".join(c.name for c in spec.columns if c.required) or "—"
    optional = ", ".join(c.name for c in spec.columns if not c.required) or "—"
    return t("data_columns", lang, required=required, optional=optional, keys=" + ".join(spec.key))


def handle_upload(wh: Warehouse, table: str, filename: str, content: bytes) -> Outcome:
    """What the Data page does with one uploaded file: validate and load it, all or nothing."""
    outcome = load_upload(wh, table, filename, content)
    if outcome.ok:
        st.cache_data.clear()  # every page sees the new data on its next run
    return outcome


def _plain(value: object) -> object:
    """st.secrets' sections (AttrDicts) as plain dicts and lists, for ``parse_connections``."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def configured_connections() -> Connections:
    """The ``[connections.NAME]`` sections of Streamlit secrets (no secrets file: none). Only the admin writes
    them; a person on the page picks one by name and never sees its URL."""
    try:
        section = st.secrets.get("connections", {})
    except Exception:  # no secrets.toml at all
        section = {}
    plain = _plain(section)
    return parse_connections(plain if isinstance(plain, dict) else {})


def _refused(source: str, exc: LoadError | ConnectionSettingsError) -> Outcome:
    if isinstance(exc, ConnectionSettingsError):
        rows = [{"source": source, "rows": "", "column": "", "problem": str(exc)}]
        return Outcome(problems=rows, error=str(exc))
    rows = [
        {
            "source": p.source,
            "rows": ", ".join(str(r) for r in p.rows) + (f" (+{p.more})" if p.more else ""),
            "column": p.column or "",
            "problem": p.message,
        }
        for p in exc.problems
    ]
    return Outcome(problems=rows, error=str(exc).splitlines()[0])


def handle_query(wh: Warehouse, table: str, name: str, saved: str | None, sql: str | None) -> tuple[Outcome, str]:
    """The Data page's database import: connection ``name`` (looked up in the secrets now, never carried in the
    session), a saved query by its name or a typed SELECT; validated and loaded like a file. The source to
    name is ``connection NAME``: no URL, no password, in any message."""
    source = f"connection {name}"
    try:
        conn = configured_connections().get(name)
        query = conn.saved(saved) if saved else (sql or "")
        outcome = Outcome(result=load_sql(wh, table, conn, query, query_name=saved or None))
    except (LoadError, ConnectionSettingsError) as exc:
        return _refused(source, exc), source
    st.cache_data.clear()  # every page sees the new data on its next run
    return outcome, source


def show_outcome(outcome: Outcome, source: str, lang: str) -> None:
    """Rows read and stored, or the refusal: that nothing was written, and each problem with file, row, column."""
    if outcome.ok and outcome.result is not None:
        r = outcome.result
        st.success(t("data_loaded", lang, table=r.table, read=r.rows_in, stored=r.rows_stored))
        for warning in r.warnings:
            st.warning(warning)
    else:
        st.error(t("data_refused", lang, source=source))
        st.dataframe(problems_frame(outcome, lang), hide_index=True, width="stretch")
