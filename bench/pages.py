"""Page render times: ``python bench/pages.py [--users 20000] [--runs 5] [--write-readme]``.

Runs app.py under Streamlit's AppTest (the real script, the real engine, no browser) on a demo warehouse
of ``--users`` users and times every page: *cold* (Streamlit's caches and ui.data's kept data version
cleared, so every query runs) and *warm* (the same page again with the cache filled, as when a filter changes
back): the comparison measured in the same run, so the ratio cold / warm says how much of a page's time is the
engine's queries and how much is Streamlit drawing it. Medians of ``--runs`` runs; the machine is shared and
noisy (the load average is printed with the figures), so read the ratios, not the last digit. Aims (issue 12):
warm ≤ 300 ms and cold ≤ 1 s at 20k users, cold ≤ 2 s at 1M users.
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
from ui import data  # noqa: E402

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
        st.cache_resource.clear()
        data._VERSIONS.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["lang"] = "zh"
    at.run()  # the default page once: sets up the session like a browser's first visit
    if cold:
        st.cache_data.clear()
        st.cache_resource.clear()
        data._VERSIONS.clear()
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


#: the aims of issue 12: warm ≤ 300 ms at any scale, cold ≤ 1 s up to demo scale and ≤ 2 s at 1M users
WARM_AIM = 0.3


def cold_aim(users: int) -> float:
    return 1.0 if users <= 100_000 else 2.0


def _mark(seconds: float, aim: float) -> str:
    return f"{seconds * 1000:,.0f} ms " + ("met" if seconds <= aim else "**over aim**")


def markdown(results: dict[int, list[tuple[str, float, float]]], runs: int, load: str) -> str:
    scales = sorted(results)
    head = "| page | " + " | ".join(f"{s:,} users: cold | warm | cold / warm" for s in scales) + " |"
    rule = "|---|" + "---|---|---|" * len(scales)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Page render times of {when} (`python bench/pages.py --users {' '.join(map(str, scales))} --runs {runs}`, "
        f"medians of {runs} runs, AppTest on this 2-core machine, load average {load}; cold = caches cleared, "
        "warm = cache filled, both measured in the same run, each against its aim: warm ≤ 300 ms, cold ≤ 1 s at "
        "20k users and ≤ 2 s at 1M):",
        "",
        head,
        rule,
    ]
    names = [r[0] for r in results[scales[0]]]
    for i, name in enumerate(names):
        cells = []
        for s in scales:
            _, cold, warm = results[s][i]
            cells.append(f"{_mark(cold, cold_aim(s))} | {_mark(warm, WARM_AIM)} | {cold / warm:.1f}x")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    over = sum((cold > cold_aim(s)) + (warm > WARM_AIM) for s in scales for _, cold, warm in results[s])
    total = 2 * len(names) * len(scales)
    lines += ["", f"{total - over} of {total} figures meet their aim; {over} are over aim."]
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
    before = os.getloadavg()[0]
    results = {users: measure(users, args.runs) for users in args.users}
    load = f"{before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    block = markdown(results, args.runs, load)
    print(block)
    if args.write_readme:
        write_readme(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
