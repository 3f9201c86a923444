"""The data contract: the six tables a team hands OpsPlan, their columns, types, keys and checks.

One declaration serves the loader (validation and typed casts), the schema (CREATE TABLE) and the
docs, so the three cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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
                Column("user_id", T, required=True),
                Column("signup_at", TS, required=True, day_column="signup_day"),
                Column("channel", T),
                Column("campaign_id", T),
                Column("referrer_id", T),
                *(Column(p, T) for p in PROFILE_COLUMNS),
            ),
            key=("user_id",),
            day_column="signup_day",
            description="one row per registered user",
        ),
        Table(
            "events",
            (
                Column("user_id", T, required=True),
                Column("event_at", TS, required=True, day_column="event_day"),
                Column("event_name", T, required=True),
                Column("event_id", T),
                Column("properties", JSON),
            ),
            key=("event_id",),
            day_column="event_day",
            description="one row per user action",
        ),
        Table(
            "orders",
            (
                Column("order_id", T, required=True),
                Column("user_id", T, required=True),
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
                Column("channel", T, required=True),
                Column("campaign_id", T),
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
                Column("campaign_id", T, required=True),
                Column("channel", T),
                Column("name", T),
                Column("phase", T),
                Column("start_date", D),
                Column("end_date", D),
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
                Column("metric", T, required=True),
                Column("value", NUM, required=True),
                Column("channel", T),
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


def get_table(name: str) -> Table:
    """Look a table up by name; the error lists the tables of the contract."""
    try:
        return TABLES[name.strip().lower()]
    except KeyError:
        known = ", ".join(TABLES)
        raise KeyError(f"unknown table {name!r}: the data contract has {known}") from None


def stored_columns(table: Table) -> list[tuple[str, str]]:
    """(name, DuckDB type) of a stored table: the contract's columns plus derived local days."""
    cols: list[tuple[str, str]] = []
    for col in table.columns:
        cols.append((col.name, col.type.sql))
        if col.day_column:
            cols.append((col.day_column, "DATE"))
    cols.append(("_load_id", "BIGINT"))
    return cols
