"""The Weekly review and Data pages' helpers: their cached report and the display of
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
from opsplan.words import has, t
from ui import data
from ui.uploads import Outcome, load_upload, problems_frame


def headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with its column names in ``lang``."""
    return frame.rename(columns={c: t(f"col.{c}", lang) for c in frame.columns if has(f"col.{c}")})


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
