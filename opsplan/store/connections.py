"""Named database connections an admin defines, and the rules every database import follows.

The dashboard must not be a SQL shell: a person picks a connection by NAME (the URL and its password stay in
the admin's secrets, as in Superset and Metabase) and runs one SELECT. Here, without Streamlit:

- ``parse_connections`` / ``read_connections_file``: ``[connections.NAME]`` sections (Streamlit secrets for the
  pages, a TOML file for the CLI) → frozen ``Connection``\\ s; a URL whose driver reads a local file (SQLite,
  DuckDB, …) is refused, since through it a query creates or reads files on the dashboard's machine;
- ``check_select`` (in ``select_check``): exactly one SELECT, parsed with sqlglot in the connection's dialect,
  no writes hidden in it, no function that reads files or acts on the server; what runs is sqlglot's own
  rendering of the checked tree (no comments, so no MySQL ``/*! … */`` code), with ``LIMIT max_rows + 1``;
- ``mask_url`` / ``scrub``: a password never reaches a message, a log line or the load history.

Secrets format (``.streamlit/secrets.toml``, or the file ``$OPSPLAN_CONNECTIONS`` for the CLI)::

    [connections.shop]
    url = "postgresql+psycopg://reader:secret@db.internal/shop"
    max_rows = 200000        # optional: refuse a result larger than this (default 200000)
    timeout_seconds = 60     # optional: connect and statement time limit (default 60)

    [connections.shop.queries]
    orders = "SELECT order_id, user_id, paid_at, amount, product FROM orders"
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote

from opsplan import fmt
from opsplan.store.select_check import QueryRefused, check_select
from opsplan.store.worded import WordedError
from opsplan.words import t

#: check_select and QueryRefused live in ``select_check``; callers keep importing them from here
__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT_SECONDS",
    "MAX_TIMEOUT_SECONDS",
    "Connection",
    "ConnectionSettingsError",
    "Connections",
    "QueryRefused",
    "check_select",
    "connection_from_url",
    "mask_url",
    "parse_connections",
    "read_connections_file",
    "scrub",
]

DEFAULT_MAX_ROWS = 200_000
DEFAULT_TIMEOUT_SECONDS = 60.0
MAX_TIMEOUT_SECONDS = 3600.0
MAX_MAX_ROWS = 10_000_000
#: where the CLI finds ``[connections.NAME]`` sections unless ``$OPSPLAN_CONNECTIONS`` names a file
DEFAULT_CONNECTIONS_FILE = Path(".streamlit") / "secrets.toml"

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
_SETTINGS = ("url", "max_rows", "timeout_seconds", "queries")

#: database servers by SQLAlchemy backend name → the sqlglot dialect their SQL is parsed in
SERVER_DIALECTS: dict[str, str] = {
    "postgresql": "postgres",
    "cockroachdb": "postgres",
    "redshift": "redshift",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mssql": "tsql",
    "oracle": "oracle",
    "snowflake": "snowflake",
    "bigquery": "bigquery",
    "clickhouse": "clickhouse",
    "clickhousedb": "clickhouse",
    "trino": "trino",
    "presto": "presto",
    "databricks": "databricks",
    "hive": "hive",
    "teradata": "teradata",
    "starrocks": "starrocks",
    "doris": "doris",
    "exasol": "exasol",
}
#: backends and drivers that open a file on the machine running OpsPlan instead of talking to a server
_FILE_BACKENDS = frozenset(
    {"sqlite", "duckdb", "motherduck", "access", "shillelagh", "gsheets", "csv", "file", "h2", "sqlcipher", "chdb"}
)
_FILE_DRIVERS = frozenset({"pysqlite", "aiosqlite", "pysqlcipher", "sqlcipher", "duckdb_engine", "chdb", "fileio"})


class ConnectionSettingsError(WordedError):
    """A connection that cannot be used (unknown name, file URL, bad setting); the message holds no URL."""


# --- passwords out of every text -----------------------------------------------------------------------------

_SECRET_KEYS = (
    r"password|passwd|pwd|pass|sslpassword|secret|client_secret|token|access_token|auth_token|api_key|apikey"
    r"|private_key_passphrase"
)
#: user:password@ after a scheme (the password may hold ':', '/' and spaces, as SQLAlchemy reads it: up to the '@')
_USERINFO = re.compile(r"(://[^\n:/@]*:)[^\n@]*@")
#: the same in a mistyped URL without '://' (postgresql+psycopg:/me:pw@host, me:pw@host)
_LOOSE_USERINFO = re.compile(r"((?:^|[\s/])[^\s:/@]*:)[^\s@]+@")
#: password=… as a URL query parameter, a libpq/ODBC keyword or a message's key=value
_KEY_VALUE = re.compile(rf"(?i)((?<![\w])(?:{_SECRET_KEYS})\s*=\s*)([^\s&;#'\"]*)")


def mask_url(url: str) -> str:
    """postgresql://me:secret@host/db?password=x → postgresql://me:***@host/db?password=***, also for a mistyped
    URL, so it can be echoed in a message or recorded as a load's source."""
    text = _USERINFO.sub(r"\1***@", url)
    if "://" not in text:
        text = _LOOSE_USERINFO.sub(r"\1***@", text)
    return _KEY_VALUE.sub(lambda m: m.group(1) + ("***" if m.group(2) else ""), text)


def _passwords(url: str) -> set[str]:
    """Every spelling of the URL's password(s) that could show up in a driver's message."""
    found: set[str] = set()
    m = re.search(r"://[^\n:/@]*:([^\n@]*)@", url)
    if m and m.group(1):
        found.add(m.group(1))
    for m in _KEY_VALUE.finditer(url):
        if m.group(2):
            found.add(m.group(2))
    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        if parsed.password:
            found.add(str(parsed.password))
        for key, value in parsed.query.items():
            if re.fullmatch(_SECRET_KEYS, key, flags=re.I):
                found.update([value] if isinstance(value, str) else list(value))
    except Exception:  # a mistyped URL: the regular expressions above are all there is
        pass
    spellings = set()
    for p in found:
        spellings.update({p, unquote(p), quote(p, safe=""), quote_plus(p)})
    return {s for s in spellings if len(s) >= 2}


def scrub(text: str, url: str | None = None) -> str:
    """``text`` with the URL masked and its password(s) replaced by *** wherever they appear."""
    if url:
        text = text.replace(url, mask_url(url))
        for secret in sorted(_passwords(url), key=len, reverse=True):
            text = text.replace(secret, "***")
    return mask_url(text)


# --- which URLs may be used ------------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """The sqlglot dialect of a database server URL; ``ConnectionSettingsError`` for anything else.

    A SQLite / DuckDB / file URL is refused before any engine exists, so no file is ever created or opened."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if not isinstance(url, str) or not url.strip():
        raise ConnectionSettingsError("no URL given")
    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError):
        raise ConnectionSettingsError(
            "not a SQLAlchemy URL (expected e.g. postgresql+psycopg://user:password@host:5432/db)"
        ) from None
    # from the name itself: get_driver_name() would load the dialect (a plugin) just to name its default driver
    backend, _, driver = parsed.drivername.lower().partition("+")
    if backend in _FILE_BACKENDS or driver in _FILE_DRIVERS or backend.startswith("sqlite"):
        raise ConnectionSettingsError(
            f"{parsed.drivername} reads a local file, not a database server: a query through it could create or "
            "read files on this machine, so OpsPlan imports only from a server (PostgreSQL, MySQL/MariaDB, …)"
        )
    dialect = SERVER_DIALECTS.get(backend)
    if dialect is None:
        raise ConnectionSettingsError(
            f"unknown kind of database {backend!r}: OpsPlan imports from {', '.join(sorted(SERVER_DIALECTS))}"
        )
    if not (parsed.host or parsed.query.get("host") or parsed.query.get("odbc_connect")):
        raise ConnectionSettingsError(f"{parsed.drivername} URL without a host: name the database server")
    return dialect


@dataclass(frozen=True)
class Connection:
    """One database an import may read from. ``url`` never shows in a repr, a label or a message."""

    name: str | None
    url: str = field(repr=False)
    max_rows: int = DEFAULT_MAX_ROWS
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    #: saved queries, (name, SQL) in the admin's order
    queries: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        """A Connection that exists is usable: a file URL or a senseless limit never gets this far."""
        check_url(self.url)
        if isinstance(self.max_rows, bool) or not isinstance(self.max_rows, int):
            raise ConnectionSettingsError(f"max_rows must be a whole number, not {self.max_rows!r}")
        if not 1 <= self.max_rows <= MAX_MAX_ROWS:
            limit = fmt.value(fmt.COUNT, MAX_MAX_ROWS)
            raise ConnectionSettingsError(f"max_rows must be between 1 and {limit}, not {self.max_rows}")
        seconds = self.timeout_seconds
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
            raise ConnectionSettingsError(f"timeout_seconds must be a number, not {seconds!r}")
        if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
            raise ConnectionSettingsError(f"timeout_seconds must be above 0 and at most {MAX_TIMEOUT_SECONDS:g}")

    @property
    def dialect(self) -> str:
        """The sqlglot dialect queries on this connection are read in."""
        return check_url(self.url)

    @property
    def label(self) -> str:
        """How messages and the load history name it: ``connection NAME``, or the masked URL."""
        return f"connection {self.name}" if self.name else mask_url(self.url)

    @property
    def query_names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.queries)

    def saved(self, name: str) -> str:
        """The SQL of a saved query; ``ConnectionSettingsError`` naming the ones there are."""
        for n, sql in self.queries:
            if n == name:
                return sql
        listed = ", ".join(self.query_names)
        zh, en = (
            t(
                "connection.no_saved_query",
                lang,
                label=self.label,
                name=repr(name),
                known=listed or t("connection.none_saved", lang),
            )
            for lang in ("zh", "en")
        )
        raise ConnectionSettingsError(en, message_zh=zh)

    def limited(self, max_rows: int | None = None, timeout_seconds: float | None = None) -> Connection:
        """The same connection with limits no higher than given (a caller may only tighten them)."""
        rows = min(self.max_rows, max_rows) if max_rows else self.max_rows
        seconds = min(self.timeout_seconds, timeout_seconds) if timeout_seconds else self.timeout_seconds
        return Connection(self.name, self.url, rows, seconds, self.queries)


def connection_from_url(url: str, max_rows: int | None = None, timeout_seconds: float | None = None) -> Connection:
    """An unnamed connection for the admin's ``opsplan load --from-sql URL``: the same rules, named by masked URL."""
    return Connection(
        None, url, max_rows or DEFAULT_MAX_ROWS, timeout_seconds if timeout_seconds else DEFAULT_TIMEOUT_SECONDS
    )


@dataclass(frozen=True)
class Connections:
    """The usable connections by name, and the configured ones refused with their reason (no URL in it)."""

    usable: tuple[Connection, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(str(c.name) for c in self.usable)

    def get(self, name: str) -> Connection:
        for c in self.usable:
            if c.name == name:
                return c
        for n, reason in self.refused:
            if n == name:
                raise ConnectionSettingsError.worded("connection.refused", name=name, reason=reason)
        listed = ", ".join(self.names)
        zh, en = (
            t("connection.unknown", lang, name=repr(name), known=listed or t("connection.none_configured", lang))
            for lang in ("zh", "en")
        )
        raise ConnectionSettingsError(en, message_zh=zh)


def _connection(name: str, spec: object) -> Connection:
    if not _NAME.fullmatch(name):
        raise ConnectionSettingsError("a connection name is letters, digits, '_', '-' or '.' (at most 64)")
    if not isinstance(spec, Mapping):
        raise ConnectionSettingsError('expected a [connections.NAME] section with url = "…"')
    unknown = sorted(str(k) for k in spec if k not in _SETTINGS)
    if unknown:
        raise ConnectionSettingsError(f"unknown setting(s) {', '.join(unknown)} (known: {', '.join(_SETTINGS)})")
    if "url" not in spec:
        raise ConnectionSettingsError('no url = "…" (a SQLAlchemy URL of the database server)')
    queries = spec.get("queries", {})
    if not isinstance(queries, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in queries.items()
    ):
        raise ConnectionSettingsError('queries must be a [connections.NAME.queries] section of name = "SELECT …"')
    return Connection(
        name,
        spec["url"],
        spec.get("max_rows", DEFAULT_MAX_ROWS),
        spec.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS),
        tuple((str(k), str(v)) for k, v in queries.items()),
    )


def parse_connections(section: Mapping[str, object] | None) -> Connections:
    """``{NAME: {url, max_rows, timeout_seconds, queries}}`` (the ``[connections]`` table) → ``Connections``.

    One bad connection does not hide the good ones: it is listed in ``refused`` with its reason."""
    usable: list[Connection] = []
    refused: list[tuple[str, str]] = []
    for name, spec in (section or {}).items():
        try:
            usable.append(_connection(str(name), spec))
        except ConnectionSettingsError as exc:
            refused.append((str(name), str(exc)))
    return Connections(tuple(usable), tuple(refused))


def connections_file() -> Path:
    """``$OPSPLAN_CONNECTIONS``, else ``.streamlit/secrets.toml`` in the working directory (as Streamlit reads it)."""
    return Path(os.environ.get("OPSPLAN_CONNECTIONS") or DEFAULT_CONNECTIONS_FILE)


def read_connections_file(path: str | Path | None = None) -> Connections:
    """The ``[connections]`` table of a TOML file (the CLI's ``--connection NAME``)."""
    where = Path(path) if path else connections_file()
    try:
        with open(where, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConnectionSettingsError(
            f"{where} does not exist: define [connections.NAME] there, or point $OPSPLAN_CONNECTIONS at such a file"
        ) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConnectionSettingsError(f"{where}: cannot read it ({exc})") from None
    section = data.get("connections", {})
    if not isinstance(section, Mapping):
        raise ConnectionSettingsError(f"{where}: connections must be a table of [connections.NAME] sections")
    return parse_connections(section)
