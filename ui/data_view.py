"""The Weekly review and Data pages' helpers: their cached report and the display of
a load's outcome. The loading itself (a refused load writes nothing) is ui.uploads → opsplan.store.loading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from opsplan import fmt
from opsplan.metrics.registry import METRICS, get_metric
from opsplan.report.render import to_html, to_markdown
from opsplan.report.review import Review
from opsplan.report.weekly import build_review
from opsplan.store.connections import Connections, ConnectionSettingsError, parse_connections
from opsplan.store.contract import get_table
from opsplan.store.loading import LoadError, load_sql
from opsplan.store.warehouse import Warehouse
from opsplan.words import has, t
from ui import data
from ui.uploads import Outcome, load_upload, problem_rows, problems_frame
from ui.widgets import definition, label_of

#: columns whose values are codes with a catalogue label (``<prefix>.<code>``)
_CODED = {"table": "table", "table_name": "table", "unit": "unit", "direction": "direction"}
#: counts shown with thousands separators (Streamlit would show 20000)
_COUNTS = {"rows", "rows_in", "rows_stored", "rows_replaced", "rows_rejected", "last_load", "load_id"}


def _cell(column: str, value: object, lang: str) -> object:
    if fmt.is_empty(value) or value == "":
        return fmt.EMPTY
    if column in _COUNTS:
        return fmt.count(value)  # type: ignore[arg-type]
    if column in _CODED:
        return label_of(_CODED[column], value, lang)
    if column == "grains":  # 'day,week,month' → 日、周、月
        return t("data.list_sep", lang).join(label_of("grain", g, lang) for g in str(value).split(","))
    if isinstance(value, dt.datetime):  # pd.Timestamp too; a day read as a timestamp shows as the day
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame as a person reads it in ``lang``: column names from the catalogue (``col.<name>``), codes by
    their labels (tables, units, directions, grains), counts with separators, empty cells as ``fmt.EMPTY``."""
    out = pd.DataFrame({c: [_cell(c, v, lang) for v in frame[c]] for c in frame.columns}, index=frame.index)
    return out.rename(columns={c: t(f"col.{c}", lang) for c in frame.columns if has(f"col.{c}")})


def glossary(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The registry (``registry_frame``): each metric's code, both labels and its definition."""
    keep = ["name", "label_zh", "label_en", "unit", "direction", "grains", "definition"]
    out = frame[[c for c in keep if c in frame.columns]].copy()
    if "definition" in out.columns:  # in the reader's language
        out["definition"] = [
            definition(get_metric(n), lang) if n in METRICS else d
            for n, d in zip(out["name"], out["definition"], strict=True)
        ]
    return headed(out, lang)


def table_label(table: str, lang: str) -> str:
    """A contract table by its label (用户 / Users); the code when the catalogue has none."""
    return label_of("table", table, lang)


@data.SHARED  # held as it is, like data.check's result (which it holds): read-only
@data.reads
def _review(path: str, version: str, plan_file: str, mtime: float, week: str, lang: str) -> Review:
    """The review built once per data version, plan edit, week and language: both renderings start from it."""
    found, _ = data.plan()
    assert found is not None  # the page asks only with a usable plan
    return build_review(Warehouse(Path(path)), found, week, lang)


@st.cache_data(ttl=data.TTL, show_spinner=False)
def _report(path: str, version: str, plan_file: str, mtime: float, week: str, fmt: str, lang: str) -> str:
    review = _review(path, version, plan_file, mtime, week, lang)
    return to_html(review) if fmt == "html" else to_markdown(review)


def report(wh: Warehouse, week: str, fmt: str, lang: str) -> str:
    """The weekly review of ``week`` as ``fmt`` ("md" or "html"), each rendered at most once per data version,
    plan edit (its file's mtime), week and language: the same text ``opsplan report`` writes."""
    p = data.plan_path()
    return _report(str(wh.path), data.version(wh), str(p), p.stat().st_mtime, week, fmt, lang)


def lazy_report(wh: Warehouse, week: str, fmt: str, lang: str) -> Callable[[], str]:
    """The report for a download button to make only when clicked (Streamlit ≥ 1.50 calls it then), so a rerun
    of the page never renders a format nobody asked for."""
    return lambda: report(wh, week, fmt, lang)


def columns_hint(table: str, lang: str) -> str:
    """The columns the data contract asks of ``table``, so a person can check a file before loading it."""
    spec = get_table(table)
    required = ", ".join(c.name for c in spec.columns if c.required) or "—"
    optional = ", ".join(c.name for c in spec.columns if not c.required) or "—"
    return t("data.columns", lang, required=required, optional=optional, keys=" + ".join(spec.key))


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
        rows = [{"source": source, "rows": "", "column": "", "problem": str(exc), "problem_zh": exc.text("zh")}]
        return Outcome(problems=rows, error=str(exc))
    return Outcome(problems=problem_rows(exc), error=str(exc).splitlines()[0])


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
        st.success(
            t(
                "data.loaded",
                lang,
                table=table_label(r.table, lang),
                read=fmt.count(r.rows_in),
                stored=fmt.count(r.rows_stored),
            )
        )
        for warning in r.warnings:
            st.warning(warning)
    else:
        st.error(t("data.refused", lang, source=source))
        st.dataframe(problems_frame(outcome, lang), hide_index=True, width="stretch")


#: loads waiting to run, put there by the Data page's forms (and by tests: AppTest cannot drive st.file_uploader,
#: and a form submit under app.py's navigation loses its trigger in AppTest). Popped at once, so each runs once.
PENDING = "data_pending_upload"  # (table, [(file name, bytes), …])
PENDING_QUERY = "data_pending_query"  # (table, connection name, saved query name or "", typed SELECT or "")


def sql_import(wh: Warehouse, tables: list[str], lang: str) -> None:
    """The Data page's database import: a connection by its name only. The admin's secrets hold the URL (a URL
    typed here would make the page a SQL shell on any host, file or port the dashboard's machine can reach)."""
    st.caption(t("data.all_or_nothing", lang))
    conns = configured_connections()
    for bad, reason in conns.refused:
        st.warning(t("data.connection_refused", lang, name=bad, reason=reason))
    if not conns.usable:
        st.info(t("data.no_connections", lang))
    else:
        table = st.selectbox(
            t("data.table", lang), tables, key="sql_table", width=320, format_func=lambda x: table_label(x, lang)
        )
        st.caption(columns_hint(table, lang))
        name = st.selectbox(
            t("data.connection", lang),
            conns.names,
            key="sql_connection",
            width=320,
            help=t("data.connection_help", lang),
        )
        conn = conns.get(name)
        saved = st.selectbox(
            t("data.saved_query", lang),
            [*conn.query_names, ""],
            key="sql_saved",
            width=320,
            format_func=lambda q: q or t("data.typed_query", lang),
        )
        rules = {"rows": fmt.count(conn.max_rows), "seconds": fmt.count(conn.timeout_seconds)}
        st.caption(t("data.sql_rules", lang, **rules))
        with st.form("sql"):
            query = ""
            if saved:
                st.code(conn.saved(saved), language="sql")
            else:
                query = st.text_area(t("data.query", lang), placeholder="SELECT user_id, signup_at, channel FROM users")
            if st.form_submit_button(t("data.run", lang), type="primary") and (saved or query.strip()):
                st.session_state[PENDING_QUERY] = (table, name, saved, query)
    if PENDING_QUERY in st.session_state:
        table, name, saved, query = st.session_state.pop(PENDING_QUERY)
        outcome, source = handle_query(wh, table, name, saved or None, query or None)
        show_outcome(outcome, source, lang)
