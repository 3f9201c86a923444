"""Which engine keeps the rows and computes the views: DuckDB (the warehouse file itself) or ClickHouse.

Chosen by a URL, ``--engine URL`` on any command or ``$OPSPLAN_ENGINE_URL``: ``chdb:///path/to/dir`` (embedded
ClickHouse in a folder) or ``clickhouse://user:password@host:8123/db`` (a server); unset or ``duckdb``, the
warehouse file is the engine, as it always was. A warehouse file remembers the engine it was made with
(``_meta.engine``), so later commands need no flag, and a different one is refused rather than mixed.

On ClickHouse the warehouse file keeps serving the pages and the plan check: every load lands the rows in
ClickHouse, refreshes the views there and copies the views the pages read back into the file
(``clickhouse_load``). docs/architecture.md, "ClickHouse", says what that costs and where it stops.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from opsplan.store.sql_read import mask_url

ENV = "OPSPLAN_ENGINE_URL"
DUCKDB = "duckdb"


class EngineError(ValueError):
    """An engine URL that names no engine OpsPlan has, or one that disagrees with the warehouse's."""


@dataclass(frozen=True)
class Engine:
    kind: str  # duckdb | chdb | clickhouse
    url: str

    @property
    def is_clickhouse(self) -> bool:
        return self.kind != DUCKDB

    @property
    def label(self) -> str:
        """What ``opsplan status`` and the pages say: the kind and where, the password masked."""
        if self.kind == DUCKDB:
            return "DuckDB"
        if self.kind == "chdb":
            return f"ClickHouse (embedded chdb, {self.folder})"
        return f"ClickHouse ({mask_url(self.url)})"

    @property
    def where(self) -> str:
        """The folder (chdb) or the server's URL with its password masked; "" for DuckDB."""
        if self.kind == "chdb":
            return str(self.folder)
        return mask_url(self.url) if self.kind == "clickhouse" else ""

    @property
    def folder(self) -> Path:
        return Path(urlsplit(self.url).path).expanduser().resolve()

    def client(self, settings: dict[str, int] | None = None):  # noqa: ANN201 (a clickhouse.Client)
        from opsplan.store import clickhouse

        chosen = clickhouse.SETTINGS if settings is None else settings
        if self.kind == "chdb":
            return clickhouse.ChdbClient(self.folder, chosen)
        if self.kind == "clickhouse":
            return clickhouse.ServerClient(self.url, chosen)
        raise EngineError("DuckDB has no ClickHouse client")


def parse(url: str | None) -> Engine:
    """``None`` / ``duckdb`` → DuckDB; ``chdb:///dir`` → embedded ClickHouse; ``clickhouse://…`` → a server."""
    if not url or url.strip().lower() in (DUCKDB, "duckdb://"):
        return Engine(DUCKDB, DUCKDB)
    url = url.strip()
    scheme = urlsplit(url).scheme.lower()
    if scheme == "chdb":
        if not urlsplit(url).path:
            raise EngineError(f"{url}: name the folder, e.g. chdb:///var/lib/opsplan/clickhouse")
        return Engine("chdb", url)
    if scheme in ("clickhouse", "clickhouses"):
        return Engine("clickhouse", url)
    raise EngineError(
        f"{mask_url(url)}: not an engine OpsPlan has; use chdb:///folder, clickhouse://user@host:8123/db or duckdb"
    )


@contextlib.contextmanager
def asked(url: str | None) -> Iterator[None]:
    """``--engine URL``: the same as ``$OPSPLAN_ENGINE_URL``, for the block only (a bad URL is refused first)."""
    if not url:
        yield
        return
    parse(url)
    before = os.environ.get(ENV)
    os.environ[ENV] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before


def requested() -> Engine | None:
    """The engine ``--engine`` / ``$OPSPLAN_ENGINE_URL`` asks for, or None when nothing asks."""
    raw = os.environ.get(ENV)
    return parse(raw) if raw else None


def for_warehouse(recorded: str | None, has_rows: bool) -> Engine:
    """The engine of a warehouse whose file recorded ``recorded`` (None: made before engines, or new).

    A request for another engine than the recorded one, or for ClickHouse over a DuckDB warehouse that already
    holds rows, is an ``EngineError``: the rows would be split between two engines.
    """
    asked = requested()
    kept = parse(recorded) if recorded else None
    if asked is None:
        return kept or parse(None)
    if kept is not None and kept != asked:
        raise EngineError(
            f"this warehouse computes on {kept.label}; {ENV} / --engine asks for {asked.label}: "
            "unset it, or start a new warehouse (OPSPLAN_DB) for the other engine"
        )
    if kept is None and asked.is_clickhouse and has_rows:
        raise EngineError(
            f"this warehouse already holds rows on DuckDB; {asked.label} would start without them: "
            "point OPSPLAN_DB at a new file for ClickHouse and load the data there"
        )
    return asked
