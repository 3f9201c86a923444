"""An integer for each (channel, campaign) a user can come from, assigned at load and kept for good.

Stored on every user as ``users.segment_key``. The per-user-day tables (``user_days``,
``user_day_activity``) carry that integer instead of the channel and campaign texts: copying two text columns
into a million rows costs as much as computing the rows (measured: 0.24 CPU-s for 1M rows), and grouping by
them costs more again. The small tables they are summed into (``activity_parts``) map the integer back to
``channel`` / ``campaign_id`` through ``_segments``. A user with no row in ``users`` has no segment: the views
show her as channel ``unknown``, campaign ``''``, as before.
"""

from __future__ import annotations

import duckdb


def stored_columns(table: str) -> list[tuple[str, str]]:
    """``users.segment_key``: the user's (channel, campaign), stored beside them at load."""
    return [("segment_key", "INTEGER")] if table == "users" else []


def create_dictionary(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS _segments (channel VARCHAR, campaign_id VARCHAR, segment_key INTEGER)")


def assign(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Give a number to every (channel, campaign) of ``source`` (rows shaped like ``users``) that has none yet."""
    con.execute(
        f"""INSERT INTO _segments
            SELECT n.channel, n.campaign_id,
                (SELECT coalesce(max(segment_key), 0) FROM _segments)
                    + row_number() OVER (ORDER BY n.channel, n.campaign_id)
            FROM (SELECT DISTINCT channel, coalesce(campaign_id, '') AS campaign_id FROM {source}) AS n
            LEFT JOIN _segments AS s ON s.channel = n.channel AND s.campaign_id = n.campaign_id
            WHERE s.segment_key IS NULL"""
    )


def segment_select(source_alias: str) -> tuple[str, str]:
    """(select item, join) that look a users row's segment up while it is inserted."""
    return "sg.segment_key AS segment_key", (
        f"LEFT JOIN _segments AS sg ON sg.channel = {source_alias}.channel"
        f" AND sg.campaign_id = coalesce({source_alias}.campaign_id, '')"
    )


def backfill(con: duckdb.DuckDBPyConnection) -> None:
    """Create the dictionary; in a warehouse made before it, number the stored users' segments."""
    create_dictionary(con)
    have = {r[0] for r in con.execute("DESCRIBE users").fetchall()}
    if "segment_key" in have:
        return
    assign(con, "users")
    con.execute("ALTER TABLE users ADD COLUMN segment_key INTEGER")
    con.execute(
        "UPDATE users SET segment_key = s.segment_key FROM _segments AS s "
        "WHERE s.channel = users.channel AND s.campaign_id = coalesce(users.campaign_id, '')"
    )
