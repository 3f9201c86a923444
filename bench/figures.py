"""The benchmark's figures, its aims (issue 10) and how they are printed and written into the READMEs."""

from __future__ import annotations

import statistics
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BENCH_README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

# the aims of issue 10 (on a 2-core machine, 1M users / ~17M events)
#: a. full refresh of every materialized view: at most this many seconds per 10M events of the data set
AIM_REFRESH_S_PER_10M_EVENTS = 1.0
#: b. pandas time / (full refresh + SQL metric set): at least
AIM_PANDAS_RATIO = 5.0
#: b. polars time / (full refresh + SQL metric set): more than
AIM_POLARS_RATIO = 1.0
#: c. one-day refresh after 30, 60 and 90 days, each at most
AIM_ONE_DAY_REFRESH_S = 0.25
#: c., d. "flat": the figure at the longest history at most this times the one at the shortest
AIM_GROWTH = 1.2
#: d. the daily load of one day's files, end to end, each at most
AIM_DAILY_LOAD_S = 1.0
#: e. peak RSS of the fresh load's and of the full refresh's own process, each at most (MiB)
AIM_MEMORY_MIB = 1024.0
#: f. each page query at most
AIM_PAGE_S = 0.100


#: the order of the sections in the table of every figure
SECTIONS = ("data", "load", "refresh", "views", "one-day", "pages", "page views", "yardsticks", "memory")


@dataclass
class Figure:
    """One measured quantity: its samples (seconds, MiB or a ratio), and the aim it is held against."""

    section: str
    name: str
    samples: list[float]
    unit: str = "s"
    aim: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def low(self) -> float:
        return min(self.samples) if self.samples else float("nan")

    @property
    def high(self) -> float:
        return max(self.samples) if self.samples else float("nan")


@dataclass
class Aim:
    """One line of the summary: an aim of the issue, what was measured, and whether it is met (None: not measured)."""

    key: str
    what: str
    value: str
    aim: str
    met: bool | None
    note: str = ""


@dataclass
class Results:
    command: str
    started: str
    machine: dict[str, str] = field(default_factory=dict)
    data: dict[str, object] = field(default_factory=dict)
    aims: list[Aim] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    checks: dict[str, object] = field(default_factory=dict)

    def add(self, section: str, name: str, samples: list[float], **kw: object) -> Figure:
        fig = Figure(section, name, list(samples), **kw)  # type: ignore[arg-type]
        self.figures.append(fig)
        return fig

    def aim(self, key: str, what: str, value: str, aim: str, met: bool | None, note: str = "") -> Aim:
        line = Aim(key, what, value, aim, met, note)
        self.aims.append(line)
        return line

    @property
    def all_met(self) -> bool:
        return all(a.met for a in self.aims)


def fmt(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "—"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    if unit == "x":
        return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def at_most(seconds: float) -> str:
    """An aim in seconds as it reads: ``<= 250 ms``, ``<= 1 s``, ``<= 1.69 s``."""
    return f"<= {seconds * 1000:.3g} ms" if seconds < 1 else f"<= {seconds:.3g} s"


def spread(fig: Figure) -> str:
    """``median (min – max)`` of a figure, or its one value."""
    if len(fig.samples) <= 1:
        return fmt(fig.median, fig.unit)
    return f"{fmt(fig.median, fig.unit)} ({fmt(fig.low, fig.unit)} – {fmt(fig.high, fig.unit)})"


def met_word(met: bool | None, *, markdown: bool) -> str:
    if met is None:
        return "not measured" if not markdown else "**not measured**"
    if met:
        return "met"
    return "**not met**" if markdown else "NOT MET"


def _grid(head: list[str], body: list[list[str]], *, markdown: bool, right: Collection[int] = ()) -> str:
    if markdown:
        rule = "|" + "".join("---:|" if i in right else "---|" for i in range(len(head)))
        lines = ["| " + " | ".join(head) + " |", rule]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(head)]
    # the last column is not padded (a long note must not widen every line)
    line = "  ".join(f"{{:{'>' if i in right else '<'}{w if i < len(head) - 1 else ''}}}" for i, w in enumerate(widths))
    out = [line.format(*head), line.format(*("-" * w for w in widths))]
    out += [line.format(*r) for r in body]
    return "\n".join(s.rstrip() for s in out)


def summary_table(res: Results, *, markdown: bool) -> str:
    """The aims of issue 10, one line each: what was measured, the aim, met / not met."""
    head = ["", "aim of issue 10", "measured", "aim", "met?", "note"]
    body = [[a.key, a.what, a.value, a.aim, met_word(a.met, markdown=markdown), a.note] for a in res.aims]
    return _grid(head, body, markdown=markdown)


def table(res: Results, *, markdown: bool, sections: tuple[str, ...] | None = None) -> str:
    """Every figure: median, min, max over the runs, and its aim where it has one."""
    rows = [f for f in res.figures if sections is None or f.section in sections]
    rows.sort(key=lambda f: SECTIONS.index(f.section) if f.section in SECTIONS else len(SECTIONS))
    head = ["section", "measurement", "median", "min", "max", "aim", "met?", "note"]
    body = []
    for f in rows:
        single = len(f.samples) <= 1
        body.append(
            [
                f.section,
                f.name.strip() if markdown else f.name,
                fmt(f.median, f.unit),
                "" if single else fmt(f.low, f.unit),
                "" if single else fmt(f.high, f.unit),
                f.aim,
                "" if f.met is None and not f.aim else met_word(f.met, markdown=markdown),
                f.note,
            ]
        )
    return _grid(head, body, markdown=markdown, right={2, 3, 4})


def view_table(res: Results, *, markdown: bool) -> str:
    """Per materialized view: rebuilt alone, inside the full refresh, and in the one-day refresh per history."""
    alone = {f.name.removeprefix("rebuild "): f.median for f in res.figures if f.section == "views"}
    full = res.data.get("full_refresh_per_view") or {}
    inc = res.data.get("one_day_refresh_per_view") or {}
    assert isinstance(full, dict) and isinstance(inc, dict)
    histories = sorted({h for v in inc.values() for h in v}, key=int)
    head = ["materialized view", "rebuild alone", "in full refresh"] + [f"one-day refresh, {h} days" for h in histories]
    body = []
    for name in sorted(alone, key=lambda n: -alone[n]):
        row = [name, fmt(alone[name], "s"), fmt(float(full.get(name, float("nan"))), "s")]
        row += [fmt(float(inc.get(name, {}).get(h, float("nan"))), "s") for h in histories]
        body.append(row)
    total = ["(sum)", fmt(sum(alone.values()), "s"), fmt(sum(float(v) for v in full.values()), "s")]
    total += [fmt(sum(float(v.get(h, 0.0)) for v in inc.values()), "s") for h in histories]
    body.append(total)
    return _grid(head, body, markdown=markdown, right=set(range(1, len(head))))


def facts(res: Results, *, markdown: bool) -> str:
    """The run, the machine, the data and the checks, one line each."""
    m, d = res.machine, res.data
    rows = d.get("rows", {})
    day_rows = d.get("appended_day_rows", {})
    assert isinstance(rows, dict) and isinstance(day_rows, dict)
    data_line = (
        f"{d['users']:,} users requested, {d['days']} days ({d.get('first_day')} – {d.get('data_through')}), "
        + ", ".join(f"{t} {n:,}" for t, n in rows.items())
        + "; each appended day cut to "
        + ", ".join(f"{t} {n:,}" for t, n in day_rows.items())
        + f"; warehouse file {d.get('warehouse_mb')} MB after the load, "
        f"{d.get('warehouse_mb_after_full_refreshes')} MB after the full refreshes, "
        f"{d.get('warehouse_mb_after_view_rebuilds')} MB after the view rebuilds"
    )
    machine_line = (
        f"{m['cores']} cores ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
        f"DuckDB {m['duckdb']} (threads / memory_limit {m['duckdb threads / memory_limit']}), "
        f"pandas {m['pandas']}, polars {m.get('polars', '?')}, numpy {m['numpy']}, pyarrow {m['pyarrow']}; "
        f"load average (1/5/15 min) {m.get('load average at start')} at start, "
        f"{m.get('load average at end', '?')} at end"
    )
    b = "- " if markdown else "  "
    lines = [
        f"{b}run {res.started}: `{res.command}`" if markdown else f"{b}run {res.started}: {res.command}",
        f"{b}machine: {machine_line}",
        f"{b}data: {data_line}",
    ]
    for name in ("pandas", "polars", "incremental_equals_rebuild"):
        check = res.checks.get(name)
        if isinstance(check, dict):
            lines.append(f"{b}check: {check.get('summary', '?')}")
    return "\n".join(lines)


def write_readmes(res: Results) -> None:
    """README.md's bench block: the facts and the aims; bench/README.md's: those and every figure."""
    block = "\n".join(
        [
            BEGIN,
            f"Figures of {res.started[:10]} (medians of the runs; every figure and view in "
            "[bench/README.md](bench/README.md)):",
            "",
            facts(res, markdown=True),
            "",
            summary_table(res, markdown=True),
            END,
        ]
    )
    replace_block(README, block)
    full_block = "\n".join(
        [
            BEGIN,
            facts(res, markdown=True),
            "",
            "The aims:",
            "",
            summary_table(res, markdown=True),
            "",
            "Every figure:",
            "",
            table(res, markdown=True),
            "",
            "Seconds per materialized view (medians):",
            "",
            view_table(res, markdown=True),
            END,
        ]
    )
    replace_block(BENCH_README, full_block)


def replace_block(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    path.write_text(text, encoding="utf-8")
