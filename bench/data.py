"""The benchmark's data: the demo generator's Parquet files, cached and cut into history + one more day.

``prepare`` generates ``days + 1`` days once (``opsplan.demo.dataset.generate``) under
``bench/out/data/seed<seed>-u<users>-d<days>/`` and cuts it, for every history length ``h`` asked for,
into ``h<h>/base`` (every row before local day ``h``) and ``h<h>/day`` (the rows of day ``h``: the
realistic one-day append of users, events, orders and ad_spend). A rerun with the same seed and sizes
finds the files and skips all of it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from opsplan.demo import dataset as demo

#: tables of a one-day append (campaigns and external_metrics are not appended daily)
APPEND_TABLES = ("users", "events", "orders", "ad_spend")
TABLE_ORDER = demo.TABLE_ORDER
#: the column that says which local day a row belongs to
_DAY_COLUMN = {
    "users": "signup_at",
    "events": "event_at",
    "orders": "paid_at",
    "ad_spend": "date",
    "external_metrics": "date",
}


@dataclass(frozen=True)
class Cut:
    """One history length: the base files (days 0 .. h-1) and the files of day h."""

    history: int
    base: dict[str, Path]
    day: dict[str, Path]
    day_date: dt.date


@dataclass(frozen=True)
class Dataset:
    root: Path
    seed: int
    users: int
    days: int
    start: dt.date
    tz: str
    generate_seconds: float | None  # None when the files came from the cache
    cuts: dict[int, Cut]

    def rows(self, history: int | None = None) -> dict[str, int]:
        cut = self.cuts[history or self.days]
        return {t: pq.ParquetFile(p).metadata.num_rows for t, p in cut.base.items()}

    def day_rows(self, history: int | None = None) -> dict[str, int]:
        cut = self.cuts[history or self.days]
        return {t: pq.ParquetFile(p).metadata.num_rows for t, p in cut.day.items()}


def _local_midnight(day: dt.date, tz: str) -> pa.Scalar:
    moment = dt.datetime.combine(day, dt.time(0), tzinfo=zoneinfo.ZoneInfo(tz))
    return pa.scalar(moment.astimezone(dt.UTC), pa.timestamp("us", tz="UTC"))


def _before(table: pa.Table, name: str, day: dt.date, tz: str) -> pa.ChunkedArray:
    col = table[_DAY_COLUMN[name]]
    if pa.types.is_timestamp(col.type):
        return pc.less(col.cast(pa.timestamp("us", tz="UTC")), _local_midnight(day, tz))
    return pc.less(col, pa.scalar(day, pa.date32()))


def _on(table: pa.Table, name: str, day: dt.date, tz: str) -> pa.ChunkedArray:
    later = pc.invert(_before(table, name, day + dt.timedelta(days=1), tz))
    return pc.and_(pc.invert(_before(table, name, day, tz)), pc.invert(later))


def _cut(full: dict[str, Path], root: Path, history: int, start: dt.date, tz: str) -> Cut:
    day = start + dt.timedelta(days=history)
    base_dir, day_dir = root / f"h{history}" / "base", root / f"h{history}" / "day"
    base_dir.mkdir(parents=True, exist_ok=True)
    day_dir.mkdir(parents=True, exist_ok=True)
    base: dict[str, Path] = {}
    one: dict[str, Path] = {}
    for name in TABLE_ORDER:
        table = pq.read_table(full[name])
        base[name] = base_dir / f"{name}.parquet"
        if name == "campaigns":
            pq.write_table(table, base[name])
        else:
            pq.write_table(table.filter(_before(table, name, day, tz)), base[name])
        if name in APPEND_TABLES:
            one[name] = day_dir / f"{name}.parquet"
            pq.write_table(table.filter(_on(table, name, day, tz)), one[name])
        del table
    return Cut(history, base, one, day)


def _cut_from_disk(root: Path, history: int, start: dt.date) -> Cut | None:
    base_dir, day_dir = root / f"h{history}" / "base", root / f"h{history}" / "day"
    base = {t: base_dir / f"{t}.parquet" for t in TABLE_ORDER}
    one = {t: day_dir / f"{t}.parquet" for t in APPEND_TABLES}
    if not all(p.exists() for p in [*base.values(), *one.values()]):
        return None
    return Cut(history, base, one, start + dt.timedelta(days=history))


def prepare(
    out: Path,
    *,
    seed: int = 7,
    users: int = 1_000_000,
    days: int = 90,
    histories: tuple[int, ...] = (),
    tz: str = demo.DEMO_TZ,
    start: dt.date = demo.DEMO_START,
) -> Dataset:
    """The cached data set: ``users`` users over ``days`` days plus one more day, cut at each history length.

    The generator spreads its users over all the days it makes, so it is asked for
    ``users * (days + 1) / days`` users over ``days + 1`` days: the ``days``-day base holds about ``users``.
    """
    root = out / "data" / f"seed{seed}-u{users}-d{days}"
    marker = root / "generated.json"
    full_dir = root / "full"
    gen_seconds: float | None = None
    if not marker.exists():
        if root.exists():
            shutil.rmtree(root)
        t0 = time.perf_counter()
        demo.generate(seed, round(users * (days + 1) / days), days + 1, start, out_dir=full_dir)
        gen_seconds = time.perf_counter() - t0
        marker.write_text(
            json.dumps(
                {
                    "seed": seed,
                    "users": users,
                    "days": days,
                    "start": str(start),
                    "tz": tz,
                    "generate_seconds": gen_seconds,
                }
            )
        )
    full = {t: full_dir / f"{t}.parquet" for t in TABLE_ORDER}
    cuts: dict[int, Cut] = {}
    for history in sorted({*histories, days}):
        if not 14 <= history <= days:
            raise ValueError(f"history {history} must be between 14 and {days} days")
        cut = _cut_from_disk(root, history, start) or _cut(full, root, history, start, tz)
        cuts[history] = cut
    return Dataset(root, seed, users, days, start, tz, gen_seconds, cuts)


def read_frames(files: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """The four tables the pandas implementation reads, from Parquet (amounts as float64, ids as text)."""
    columns = {
        "users": ["user_id", "signup_at", "channel", "referrer_id"],
        "events": ["user_id", "event_at"],
        "orders": ["user_id", "paid_at", "amount"],
        "ad_spend": ["date", "channel", "spend", "impressions", "clicks"],
    }
    frames: dict[str, pd.DataFrame] = {}
    for name, cols in columns.items():
        table = pq.read_table(files[name], columns=cols)
        for money in ("amount", "spend"):
            if money in cols:
                i = table.schema.get_field_index(money)
                table = table.set_column(i, money, table[money].cast(pa.float64()))
        frames[name] = table.to_pandas()
    return frames
