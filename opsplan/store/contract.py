"""The data contract: the six tables a team hands OpsPlan, their columns, types, keys and checks.

One declaration serves the loader (validation and typed casts), the schema (CREATE TABLE) and the
docs, so the three cannot drift.

Values are stored exactly as written or the load is refused, naming file, row and column (the rules in
full: docs/glossary.md, "Values: what is stored, refused or quarantined"):

- text files are UTF-8 (with or without BOM) or GBK/GB18030 that reads as Chinese; anything else is refused;
- numbers use one decimal mark per file and column, "." (1,234.50) or "," (1.234,50), decided from all the
  column's values; a column mixing both, or a value that reads both ways with nothing to decide (1,234), is
  refused; amounts (``DECIMAL``) with more than 2 decimals are refused, never rounded;
- dates and timestamps have a four-digit year and fall on a day from ``OPSPLAN_EARLIEST_DAY`` (default
  1990-01-01) to tomorrow in the warehouse's zone (``OPSPLAN_LATEST_DAYS_AHEAD``, default 1); a campaign's
  planned dates may lie in the future;
- ids (``ident`` columns) hold no control characters and do not arrive as floating-point numbers.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from enum import Enum
from zoneinfo import ZoneInfo

from opsplan.store.event_names import stored_columns as name_bit_columns
from opsplan.store.segments import stored_columns as segment_columns
from opsplan.store.user_keys import key_columns


class ColType(Enum):
    """Logical column types of the contract and the DuckDB type each is stored as."""

    TEXT = "text"
    TIMESTAMP = "timestamp"
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    NUMBER = "number"
    JSON = "json"

    @property
    def sql(self) -> str:
        return _SQL_TYPES[self]


_SQL_TYPES = {
    ColType.TEXT: "VARCHAR",
    ColType.TIMESTAMP: "TIMESTAMPTZ",
    ColType.DATE: "DATE",
    ColType.DECIMAL: "DECIMAL(18,2)",
    ColType.INTEGER: "BIGINT",
    ColType.NUMBER: "DOUBLE",
    ColType.JSON: "VARCHAR",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColType
    required: bool = False
    #: name of the derived local-day column stored next to a timestamp (e.g. signup_day)
    day_column: str | None = None
    #: an identifier that rows are joined, grouped or matched on (user_id, channel, …): a control character
    #: or a floating-point source column (123 → "123.0") would silently split or lose rows, so both are refused
    ident: bool = False
    #: a planned day (a campaign's start and end) may lie after tomorrow; an observed one may not
    may_be_future: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    #: columns that identify a row; a re-load replaces stored rows with the same key
    key: tuple[str, ...]
    #: the column whose local day says which days a load touches (for refresh and event replace)
    day_column: str
    description: str

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


T, TS, D, DEC, INT, NUM, JSON = (
    ColType.TEXT,
    ColType.TIMESTAMP,
    ColType.DATE,
    ColType.DECIMAL,
    ColType.INTEGER,
    ColType.NUMBER,
    ColType.JSON,
)

PROFILE_COLUMNS = ("region", "city_tier", "age_group", "gender", "platform")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "users",
            (
                Column("user_id", T, required=True, ident=True),
                Column("signup_at", TS, required=True, day_column="signup_day"),
                Column("channel", T, ident=True),
                Column("campaign_id", T, ident=True),
                Column("referrer_id", T, ident=True),
                *(Column(p, T) for p in PROFILE_COLUMNS),
            ),
            key=("user_id",),
            day_column="signup_day",
            description="one row per registered user",
        ),
        Table(
            "events",
            (
                Column("user_id", T, required=True, ident=True),
                Column("event_at", TS, required=True, day_column="event_day"),
                Column("event_name", T, required=True, ident=True),
                Column("event_id", T, ident=True),
                Column("properties", JSON),
            ),
            key=("event_id",),
            day_column="event_day",
            description="one row per user action",
        ),
        Table(
            "orders",
            (
                Column("order_id", T, required=True, ident=True),
                Column("user_id", T, required=True, ident=True),
                Column("paid_at", TS, required=True, day_column="paid_day"),
                Column("amount", DEC, required=True),
                Column("product", T),
            ),
            key=("order_id",),
            day_column="paid_day",
            description="one row per payment or refund (negative amount)",
        ),
        Table(
            "ad_spend",
            (
                Column("date", D, required=True),
                Column("channel", T, required=True, ident=True),
                Column("campaign_id", T, ident=True),
                Column("spend", DEC, required=True),
                Column("impressions", INT),
                Column("clicks", INT),
            ),
            key=("date", "channel", "campaign_id"),
            day_column="date",
            description="one row per day, channel and campaign",
        ),
        Table(
            "campaigns",
            (
                Column("campaign_id", T, required=True, ident=True),
                Column("channel", T, ident=True),
                Column("name", T),
                Column("phase", T),
                Column("start_date", D, may_be_future=True),
                Column("end_date", D, may_be_future=True),
                Column("budget", DEC),
                Column("owner", T),
            ),
            key=("campaign_id",),
            day_column="start_date",
            description="optional, one row per campaign",
        ),
        Table(
            "external_metrics",
            (
                Column("date", D, required=True),
                Column("metric", T, required=True, ident=True),
                Column("value", NUM, required=True),
                Column("channel", T, ident=True),
            ),
            key=("date", "metric", "channel"),
            day_column="date",
            description="optional, numbers the event data cannot give (NPS, rating, …)",
        ),
    )
}

#: phases a campaign may declare (预热 / 爆发 / 长尾)
CAMPAIGN_PHASES = ("preheat", "burst", "longtail")

DEFAULT_CHANNEL = "organic"

#: decimals an amount (a ``DECIMAL`` column: orders.amount, ad_spend.spend, campaigns.budget) may have: cents
MONEY_DECIMALS = 2

#: the earliest day a date or timestamp may fall on (ISO date); the default refuses placeholders such as
#: 1970-01-01 (the Unix epoch) and 1900-01-01 (a spreadsheet's day 0) yet keeps real 1990s data loading
EARLIEST_DAY_ENV = "OPSPLAN_EARLIEST_DAY"
DEFAULT_EARLIEST_DAY = dt.date(1990, 1, 1)
#: how many days after today (in the warehouse's zone) an observed day may fall: 1 = tomorrow, for clocks
#: that run ahead of the warehouse's zone; a later day has not happened yet and would become data_through
LATEST_DAYS_AHEAD_ENV = "OPSPLAN_LATEST_DAYS_AHEAD"
DEFAULT_LATEST_DAYS_AHEAD = 1


@dataclass(frozen=True)
class DayWindow:
    """The days a date or timestamp may fall on: ``earliest`` .. ``latest`` (both included)."""

    earliest: dt.date
    latest: dt.date
    zone: str


def day_window(zone: str, now: dt.datetime | None = None) -> DayWindow:
    """The plausible days for a load into a warehouse in ``zone``, from the environment or the defaults.

    ``now`` is the real clock (not ``$OPSPLAN_NOW``, which pins what the pages call today): a row dated after
    tomorrow cannot have happened yet, whatever day a test or a screenshot pretends it is.
    """
    raw_earliest = os.environ.get(EARLIEST_DAY_ENV, "").strip()
    raw_ahead = os.environ.get(LATEST_DAYS_AHEAD_ENV, "").strip()
    try:
        earliest = dt.date.fromisoformat(raw_earliest) if raw_earliest else DEFAULT_EARLIEST_DAY
    except ValueError:
        raise ValueError(f"{EARLIEST_DAY_ENV}={raw_earliest!r} is not a date (e.g. 2015-01-01)") from None
    try:
        ahead = int(raw_ahead) if raw_ahead else DEFAULT_LATEST_DAYS_AHEAD
    except ValueError:
        ahead = -1
    if ahead < 0:
        raise ValueError(f"{LATEST_DAYS_AHEAD_ENV}={raw_ahead!r} is not a whole number of days, 0 or more")
    moment = now or dt.datetime.now(dt.UTC)
    today = moment.astimezone(ZoneInfo(zone)).date()
    return DayWindow(earliest, today + dt.timedelta(days=ahead), zone)


def get_table(name: str) -> Table:
    """Look a table up by name; the error lists the tables of the contract."""
    try:
        return TABLES[name.strip().lower()]
    except KeyError:
        known = ", ".join(TABLES)
        raise KeyError(f"unknown table {name!r}: the data contract has {known}") from None


def stored_columns(table: Table) -> list[tuple[str, str]]:
    """(name, DuckDB type) of a stored table: the contract's columns plus derived local days, the load id and
    the integer user keys (``user_keys``), the events' name bits (``event_names``) and the users' segments
    (``segments``)."""
    cols: list[tuple[str, str]] = []
    for col in table.columns:
        cols.append((col.name, col.type.sql))
        if col.day_column:
            cols.append((col.day_column, "DATE"))
    cols.append(("_load_id", "BIGINT"))
    return cols + key_columns(table.name) + name_bit_columns(table.name) + segment_columns(table.name)
