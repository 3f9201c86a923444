"""The benchmark's data: the demo generator's Parquet files, cached and cut into history + one more day.

``prepare`` generates ``days + 1`` days once (``opsplan.demo.dataset.generate``, in a child process so its
peak memory is its own) under ``bench/out/data/seed<seed>-u<users>-d<days>/`` and cuts it, for every
history length ``h`` asked for, into ``h<h>/base`` (every row before local day ``h``) and ``h<h>/day``
(the rows of day ``h`` as generated). The appended days of the histories of one run are then cut to one
size (``equal-v1-h<h1>-<h2>-…/h<h>``): each keeps as many new users, events and orders as the smallest of
them, so that a one-day refresh after 30, 60 and 90 days is timed on days of the same volume (the
generator's later days are bigger: retained users pile up). A rerun with the same seed, sizes and histories
finds the files and skips all of it.

How a day is cut to size (deterministic, seeded by the seed, the history and the table):

- **users**: a random sample of the day's new users, closed under "referred by a new user of the same
  day" (a kept user's same-day referrer is kept too), so no kept ``referrer_id`` points nowhere.
- **events, orders**: the rows of the new users left out go; then, down to the smallest day's count,
  whole users' rows of the day go in a random order, users from before the day first and the day's new
  users only if that is not enough; the last user of the cut may lose only some of their rows. So the day
  keeps fewer active users, each with all their rows, rather than every user with fewer rows.
- **ad_spend** is kept whole (8 – 10 rows a day; a campaign-day row references no user).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import time
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from opsplan.demo import dataset as demo

ROOT = Path(__file__).resolve().parents[1]
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
#: tables cut to the smallest appended day's size, by the user their rows belong to
_SIZED = ("events", "orders")
#: the version of the equal-size cut: part of its folder's name, so a changed cut is not read from a stale cache
_EQUAL_VERSION = "v1"
_BATCH_ROWS = 1 << 20


@dataclass(frozen=True)
class Cut:
    """One history length: the base files (days 0 .. h-1) and the files of day h (cut to the common size)."""

    history: int
    base: dict[str, Path]
    day: dict[str, Path]
    day_date: dt.date
    #: the files of day h as generated (before the cut to the common size)
    day_whole: dict[str, Path]


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
    #: generation facts of the files, also when cached: seconds and peak RSS (MiB) of the generator's process
    generated: dict[str, object]

    def rows(self, history: int | None = None) -> dict[str, int]:
        cut = self.cuts[history or self.days]
        return {t: _num_rows(p) for t, p in cut.base.items()}

    def day_rows(self, history: int | None = None) -> dict[str, int]:
        cut = self.cuts[history or self.days]
        return {t: _num_rows(p) for t, p in cut.day.items()}

    def day_whole_rows(self, history: int | None = None) -> dict[str, int]:
        cut = self.cuts[history or self.days]
        return {t: _num_rows(p) for t, p in cut.day_whole.items()}


def _num_rows(path: Path) -> int:
    return int(pq.ParquetFile(path).metadata.num_rows)


def _local_midnight(day: dt.date, tz: str) -> pa.Scalar:
    moment = dt.datetime.combine(day, dt.time(0), tzinfo=zoneinfo.ZoneInfo(tz))
    return pa.scalar(moment.astimezone(dt.UTC), pa.timestamp("us", tz="UTC"))


def _before(table: pa.Table | pa.RecordBatch, name: str, day: dt.date, tz: str) -> pa.Array:
    col = table[_DAY_COLUMN[name]]
    if pa.types.is_timestamp(col.type):
        return pc.less(col.cast(pa.timestamp("us", tz="UTC")), _local_midnight(day, tz))
    return pc.less(col, pa.scalar(day, pa.date32()))


def _on(table: pa.Table | pa.RecordBatch, name: str, day: dt.date, tz: str) -> pa.Array:
    later = pc.invert(_before(table, name, day + dt.timedelta(days=1), tz))
    return pc.and_(pc.invert(_before(table, name, day, tz)), pc.invert(later))


def _dirs(root: Path, history: int) -> tuple[Path, Path]:
    return root / f"h{history}" / "base", root / f"h{history}" / "day"


def _cut_all(full: dict[str, Path], root: Path, histories: list[int], start: dt.date, tz: str) -> None:
    """Write base and day files of every history in one streaming pass over each generated file
    (batches of a million rows: the 50M events of 3M users never sit in memory at once)."""
    for h in histories:
        for folder in _dirs(root, h):
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
    for name in TABLE_ORDER:
        source = pq.ParquetFile(full[name])
        schema = source.schema_arrow
        writers: list[tuple[pq.ParquetWriter, int, str]] = []
        try:
            for h in histories:
                base_dir, day_dir = _dirs(root, h)
                writers.append((pq.ParquetWriter(base_dir / f"{name}.parquet", schema), h, "base"))
                if name in APPEND_TABLES:
                    writers.append((pq.ParquetWriter(day_dir / f"{name}.parquet", schema), h, "day"))
            for batch in source.iter_batches(batch_size=_BATCH_ROWS):
                for writer, h, part in writers:
                    day = start + dt.timedelta(days=h)
                    if name == "campaigns":
                        rows = batch
                    elif part == "base":
                        rows = batch.filter(_before(batch, name, day, tz))
                    else:
                        rows = batch.filter(_on(batch, name, day, tz))
                    writer.write_batch(rows)
        finally:
            for writer, _, _ in writers:
                writer.close()


def _cut_on_disk(root: Path, history: int, start: dt.date) -> tuple[dict[str, Path], dict[str, Path]] | None:
    base_dir, day_dir = _dirs(root, history)
    base = {t: base_dir / f"{t}.parquet" for t in TABLE_ORDER}
    one = {t: day_dir / f"{t}.parquet" for t in APPEND_TABLES}
    if not all(p.exists() for p in [*base.values(), *one.values()]):
        return None
    return base, one


# ------------------------------------------------------------------------------------ the equal-size cut


def _closed_sample(users: pa.Table, size: int, rng: np.random.Generator) -> np.ndarray:
    """A mask keeping ``size`` of the day's users at random (fewer only if every chain left is too long),
    closed under same-day referral: a kept user's referrer, if also new that day, is kept with them."""
    ids = users["user_id"].to_pylist()
    index = {u: i for i, u in enumerate(ids)}
    parent = [index.get(r, -1) if r is not None else -1 for r in users["referrer_id"].to_pylist()]
    kept = np.zeros(len(ids), dtype=bool)
    count = 0
    for i in rng.permutation(len(ids)):
        chain: list[int] = []
        j = int(i)
        while j >= 0 and not kept[j] and j not in chain:
            chain.append(j)
            j = parent[j]
        if count + len(chain) <= size:
            kept[chain] = True
            count += len(chain)
            if count == size:
                break
    return kept


def _trim_by_user(table: pa.Table, target: int, new_ids: pa.Array, rng: np.random.Generator) -> pa.Table:
    """``table`` down to ``target`` rows by dropping whole users' rows, users from before the day first (in a
    random order), the day's new users after them; the last user dropped may lose only their last rows."""
    excess = table.num_rows - target
    if excess <= 0:
        return table
    codes, uniques = pd.factorize(table["user_id"].to_numpy(zero_copy_only=False))
    counts = np.bincount(codes, minlength=len(uniques))
    is_new = pc.is_in(pa.array(uniques, pa.string()), value_set=new_ids).to_numpy(zero_copy_only=False)
    old, new = np.flatnonzero(~is_new), np.flatnonzero(is_new)
    order = np.concatenate([rng.permutation(old), rng.permutation(new)])
    cum = np.cumsum(counts[order])
    whole = int(np.searchsorted(cum, excess, side="right"))  # users dropped with all their rows
    drop = np.zeros(len(uniques), dtype=bool)
    drop[order[:whole]] = True
    keep = ~drop[codes]
    rest = excess - (int(cum[whole - 1]) if whole else 0)
    if rest:
        rows = np.flatnonzero(codes == order[whole])
        keep[rows[len(rows) - rest :]] = False
    return table.filter(pa.array(keep))


def _equal_days(days: Mapping[int, Mapping[str, Path]], folder: Path, seed: int) -> dict[int, dict[str, Path]]:
    """Every history's appended day cut to the size of the smallest (module docstring); files under ``folder``."""
    tables = {h: {t: pq.read_table(p) for t, p in files.items()} for h, files in days.items()}
    n_users = min(t["users"].num_rows for t in tables.values())
    for h, t in tables.items():
        rng = np.random.default_rng([seed, h, 0])
        users = t["users"]
        kept = _closed_sample(users, n_users, rng)
        gone = users["user_id"].filter(pa.array(~kept)).combine_chunks()
        t["users"] = users.filter(pa.array(kept))
        for name in _SIZED:
            t[name] = t[name].filter(pc.invert(pc.is_in(t[name]["user_id"], value_set=gone)))
    for i, name in enumerate(_SIZED, start=1):
        target = min(t[name].num_rows for t in tables.values())
        for h, t in tables.items():
            rng = np.random.default_rng([seed, h, i])
            t[name] = _trim_by_user(t[name], target, t["users"]["user_id"].combine_chunks(), rng)
    out: dict[int, dict[str, Path]] = {}
    for h, t in tables.items():
        sub = folder / f"h{h}"
        sub.mkdir(parents=True, exist_ok=True)
        out[h] = {}
        for name, table in t.items():
            out[h][name] = sub / f"{name}.parquet"
            pq.write_table(table, out[h][name])
    (folder / "done.json").write_text(
        json.dumps({str(h): {n: tb.num_rows for n, tb in t.items()} for h, t in tables.items()}), encoding="utf-8"
    )
    return out


def _equal_folder(root: Path, histories: list[int]) -> Path:
    return root / f"equal-{_EQUAL_VERSION}-h{'-'.join(str(h) for h in histories)}"


# -------------------------------------------------------------------------------------------- generate


def _generate_in_child(seed: int, users: int, days: int, start: dt.date, full_dir: Path) -> dict[str, float]:
    """``demo.generate`` in a child process: its seconds and its own peak RSS (VmHWM, MiB)."""
    arg = json.dumps({"seed": seed, "users": users, "days": days, "start": str(start), "out": str(full_dir)})
    proc = subprocess.run(
        [sys.executable, "-m", "bench.data", "--generate", arg], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"generating the data set failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def maxrss_mib() -> float:
    """RSS high-water mark of this process (VmHWM of /proc/self/status) in MiB; NaN where there is none.

    Not ``getrusage``: Linux carries ``ru_maxrss`` over fork and exec, so a child started by a big parent
    would report the parent's peak. VmHWM belongs to the process's own address space.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


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
    """The cached data set: ``users`` users over ``days`` days plus one more day, cut at each history length,
    the appended days of all the histories (``histories`` and ``days``) cut to one size.

    The generator spreads its users over all the days it makes, so it is asked for
    ``users * (days + 1) / days`` users over ``days + 1`` days: the ``days``-day base holds about ``users``.
    """
    wanted = sorted({*histories, days})
    for history in wanted:
        if not 14 <= history <= days:
            raise ValueError(f"history {history} must be between 14 and {days} days")
    root = out / "data" / f"seed{seed}-u{users}-d{days}"
    marker = root / "generated.json"
    full_dir = root / "full"
    gen_seconds: float | None = None
    if not marker.exists():
        if root.exists():
            shutil.rmtree(root)
        child = _generate_in_child(seed, round(users * (days + 1) / days), days + 1, start, full_dir)
        gen_seconds = float(child["seconds"])
        marker.write_text(
            json.dumps(
                {
                    "seed": seed,
                    "users": users,
                    "days": days,
                    "start": str(start),
                    "tz": tz,
                    "generate_seconds": gen_seconds,
                    "generate_peak_mib": child["peak_mib"],
                    "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                }
            )
        )
    generated = json.loads(marker.read_text())
    full = {t: full_dir / f"{t}.parquet" for t in TABLE_ORDER}
    on_disk = {h: _cut_on_disk(root, h, start) for h in wanted}
    missing = [h for h, c in on_disk.items() if c is None]
    if missing:
        _cut_all(full, root, missing, start, tz)
        on_disk.update({h: _cut_on_disk(root, h, start) for h in missing})
    whole = {h: c[1] for h, c in on_disk.items() if c is not None}
    folder = _equal_folder(root, wanted)
    if missing or not (folder / "done.json").exists():
        if folder.exists():
            shutil.rmtree(folder)
        equal = _equal_days(whole, folder, seed)
    else:
        equal = {h: {t: folder / f"h{h}" / f"{t}.parquet" for t in APPEND_TABLES} for h in wanted}
    cuts = {}
    for h in wanted:
        base = on_disk[h]
        assert base is not None
        cuts[h] = Cut(h, base[0], equal[h], start + dt.timedelta(days=h), whole[h])
    return Dataset(root, seed, users, days, start, tz, gen_seconds, cuts, generated)


def read_frames(files: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
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


def _main(argv: list[str] | None = None) -> int:
    """``python -m bench.data --generate '{json}'``: the generator alone, in its own process (see prepare)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--generate", required=True, help="JSON: seed, users, days, start, out")
    spec = json.loads(p.parse_args(argv).generate)
    t0 = time.perf_counter()
    demo.generate(
        int(spec["seed"]),
        int(spec["users"]),
        int(spec["days"]),
        dt.date.fromisoformat(spec["start"]),
        out_dir=Path(spec["out"]),
    )
    print(json.dumps({"seconds": time.perf_counter() - t0, "peak_mib": maxrss_mib()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
