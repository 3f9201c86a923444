"""Page render times: ``python bench/pages.py [--users 20000] [--runs 5] [--write-readme]``.

Runs app.py under Streamlit's AppTest (the real script, the real engine, no browser) on a demo warehouse
of ``--users`` users and times every page: *cold* (Streamlit's data cache cleared, so every query runs)
and *warm* (the same page again with the cache filled, as when a filter changes back): the comparison
measured in the same run, so the ratio cold / warm says how much of a page's time is the engine's
queries and how much is Streamlit drawing it. Medians of ``--runs`` runs; the machine is shared and noisy, so read the
ratios, not the last digit. Aim (the dashboard issue): under 1 s at demo scale, under 2 s at 1M users.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from opsplan.demo.dataset import load_demo  # noqa: E402
from opsplan.store.warehouse import Warehouse  # noqa: E402
from opsplan.words import t  # noqa: E402

PAGES = ("today", "goals", "channels", "retention", "users", "budget", "initiatives", "alerts", "review", "data")
OUT = ROOT / "bench" / "out"
README = ROOT / "README.md"
BEGIN, END = "<!-- bench-pages:begin -->", "<!-- bench-pages:end -->"


def _warehouse(users: int) -> Path:
    """A demo warehouse of ``users`` users, built once and kept in bench/out/."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"pages-{users}.duckdb"
    if not path.exists():
        print(f"building the demo warehouse with {users:,} users …", file=sys.stderr)
        load_demo(Warehouse(path), users=users)
    return path


def _render(page: str, cold: bool) -> float:
    """Seconds for one run of app.py showing ``page``."""
    if cold:
        st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["lang"] = "zh"
    at.run()  # the default page once: sets up the session like a browser's first visit
    if cold:
        st.cache_data.clear()
    started = time.perf_counter()
    at.switch_page(f"pages/{page}.py")
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"page {page} raised: {at.exception[0].message}")
    failed = {t("app.page_error", "zh"), t("app.warehouse_refused", "zh")}
    if any(e.value in failed for e in at.error):  # app.py shows a friendly line instead: not a page to time
        raise RuntimeError(f"page {page} failed (see the log above)")
    return elapsed


def measure(users: int, runs: int) -> list[tuple[str, float, float]]:
    """(page, cold median, warm median) for every page."""
    os.environ["OPSPLAN_DB"] = str(_warehouse(users))
    rows = []
    for page in PAGES:
        cold = [_render(page, cold=True) for _ in range(runs)]
        warm = [_render(page, cold=False) for _ in range(runs)]
        rows.append((page, statistics.median(cold), statistics.median(warm)))
        print(f"{rows[-1][0]:>14}: cold {rows[-1][1] * 1000:8.0f} ms   warm {rows[-1][2] * 1000:8.0f} ms", flush=True)
    return rows


def markdown(results: dict[int, list[tuple[str, float, float]]], runs: int) -> str:
    scales = sorted(results)
    aims = {s: (1.0 if s <= 100_000 else 2.0) for s in scales}
    head = "| page | " + " | ".join(f"{s:,} users: cold | warm | cold / warm" for s in scales) + " |"
    rule = "|---|" + "---|---|---|" * len(scales)
    lines = [
        f"Page render times of {dt.date.today()} (`python bench/pages.py`, medians of {runs} runs, AppTest on this "
        "2-core machine; cold = data cache cleared, warm = cache filled, the comparison measured in the same run):",
        "",
        head,
        rule,
    ]
    names = [r[0] for r in results[scales[0]]]
    for i, name in enumerate(names):
        cells = []
        for s in scales:
            _, cold, warm = results[s][i]
            flag = "" if cold < aims[s] else " **over aim**"
            cells.append(f"{cold * 1000:,.0f} ms{flag} | {warm * 1000:,.0f} ms | {cold / warm:.1f}x")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Aim: a page under 1 s at demo scale (20k users) and under 2 s at 1M users (cold).")
    return "\n".join(lines)


def write_readme(block: str) -> None:
    text = README.read_text(encoding="utf-8")
    new = f"{BEGIN}\n{block}\n{END}"
    if BEGIN in text:
        start, end = text.index(BEGIN), text.index(END) + len(END)
        text = text[:start] + new + text[end:]
    else:
        text = text.rstrip() + "\n\n" + new + "\n"
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20_000], help="scales (default 20000)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    results = {users: measure(users, args.runs) for users in args.users}
    block = markdown(results, args.runs)
    print(block)
    if args.write_readme:
        write_readme(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
