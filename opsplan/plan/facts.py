"""What the warehouse knows that a plan may name: channels, campaigns, external metric names."""

from __future__ import annotations

from opsplan.plan.rules import DataFacts
from opsplan.store.warehouse import Warehouse, read_connection


def data_facts(wh: Warehouse | None) -> DataFacts | None:
    """None when there is no warehouse (then names are not checked against data)."""
    if wh is None or not wh.exists():
        return None
    with read_connection(wh) as con:
        channels = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT channel FROM users UNION SELECT DISTINCT channel FROM ad_spend"
            ).fetchall()
        }
        campaigns = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT campaign_id FROM users WHERE campaign_id IS NOT NULL UNION "
                "SELECT DISTINCT campaign_id FROM ad_spend WHERE campaign_id IS NOT NULL UNION "
                "SELECT campaign_id FROM campaigns"
            ).fetchall()
        }
        external = {r[0] for r in con.execute("SELECT DISTINCT metric FROM external_metrics").fetchall()}
    has_data = bool(channels or campaigns)
    return DataFacts(frozenset(channels), frozenset(campaigns), frozenset(external), known=has_data)
