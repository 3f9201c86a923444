"""The contract's checks over staged sources: every problem of every row, collected before anything is written.

A count would not find a bad value at row 30,002, so each check is a query over all staged rows that
reports the first few line numbers of the rows it matches and how many more there are.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from opsplan import fmt
from opsplan.store.casting import (
    COMMA_ONLY,
    CONTROL_CHARS,
    DOT_ONLY,
    EITHER_MARK,
    NUMERIC_TYPES,
    SHORT_YEAR,
    SUB_CENT,
    number_source,
    number_text,
    trimmed,
    typed_expr,
)
from opsplan.store.contract import (
    CAMPAIGN_PHASES,
    EARLIEST_DAY_ENV,
    LATEST_DAYS_AHEAD_ENV,
    MONEY_DECIMALS,
    ColType,
    Column,
    Table,
    day_window,
)
from opsplan.store.refusals import Problem
from opsplan.store.staging import StagedSource
from opsplan.store.warehouse import one_row
from opsplan.words import both, t

_SHOW_ROWS = 5


#: why a value is not of its column's type (catalogue keys)
_NOT_A = {
    ColType.TIMESTAMP: "load.not_type.timestamp",
    ColType.DATE: "load.not_type.date",
    ColType.DECIMAL: "load.not_type.decimal",
    ColType.INTEGER: "load.not_type.integer",
    ColType.NUMBER: "load.not_type.number",
    ColType.JSON: "load.not_type.json",
}


class ContractChecker:
    """Runs the contract's checks over staged sources and collects every problem."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: Table, staged: list[StagedSource]) -> None:
        self.con = con
        self.table = table
        self.staged = staged
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        #: staged table → numeric column → its decimal mark in that file ("." or ",")
        self.marks: dict[str, dict[str, str]] = {}
        # the staging connection runs in the warehouse's zone (local days, "tomorrow")
        zone = str(one_row(con, "SELECT current_setting('TimeZone')")[0])
        self.window = day_window(zone)

    def _rows(
        self, src: StagedSource, where: str, column: str | None, word: str, sample: str = "", **values: object
    ) -> None:
        """Report the rows of ``src`` matching ``where`` (first few, with a count of the rest), saying why with
        the catalogue's ``word`` (both languages) and the first values of ``sample``."""
        sel = f", {sample}" if sample else ""
        hits = self.con.execute(
            f"SELECT _row{sel}, count(*) OVER () FROM {src.table} WHERE {where} ORDER BY _row LIMIT {_SHOW_ROWS}"
        ).fetchall()
        if not hits:
            return
        zh, en = both(word, **values)
        if sample:
            shown = ", ".join(repr(h[1]) for h in hits[:3])
            zh, en = (
                t("load.with_sample", "zh", message=zh, shown=shown),
                t("load.with_sample", "en", message=en, shown=shown),
            )
        total = hits[0][-1]
        rows = tuple(h[0] for h in hits)
        self.problems.append(Problem(src.label, rows, column, en, src.row_word, total - len(hits), message_zh=zh))

    def _problem(
        self, src: StagedSource, rows: tuple[int, ...], column: str | None, word: str, **values: object
    ) -> None:
        zh, en = both(word, **values)
        self.problems.append(Problem(src.label, rows, column, en, src.row_word, message_zh=zh))

    def check(self) -> None:
        table = self.table
        for src in self.staged:
            header = (src.header_row,) if src.header_row is not None else ()
            if src.rows == 0:
                self._problem(src, header, None, "load.only_header" if header else "load.no_rows")
                continue
            missing = [c for c in table.required if c not in src.columns]
            if missing:
                self._problem(src, header, ", ".join(missing), "load.missing_columns", known=", ".join(src.columns))
            extra = [c for c in src.columns if c not in table.names]
            if extra:
                self.warnings.append(f"{src.label}: columns not in the contract, not stored: {', '.join(extra)}")
            census = self._census(src)
            for col in table.columns:
                if col.name not in src.columns:
                    continue
                found = len(self.problems)
                if col.required:
                    self._rows(src, f"{trimmed(col.name)} IS NULL", col.name, "load.empty_required")
                if col.ident:
                    self._ident(src, col, census["controls"][0])
                # rows another check of this column reports with its own reason
                told = "false"
                mark = "."
                if col.type in NUMERIC_TYPES:
                    mark, told = self._decimal_mark(src, col)
                    self.marks.setdefault(src.table, {})[col.name] = mark
                if col.type is ColType.DECIMAL:
                    number = number_text(col.name, col.type, mark)
                    sub_cent = f"coalesce(regexp_matches({number}, '{SUB_CENT}'), false)"
                    self._rows(
                        src,
                        sub_cent,
                        col.name,
                        "load.sub_cent",
                        sample=f'"{col.name}"',
                        decimals=MONEY_DECIMALS,
                    )
                    told = f"({told} OR {sub_cent})"
                is_day = col.type in (ColType.DATE, ColType.TIMESTAMP)
                if is_day and census[col.name][0]:
                    short = f"coalesce(regexp_full_match({trimmed(col.name)}, '{SHORT_YEAR}'), false)"
                    self._rows(
                        src,
                        short,
                        col.name,
                        "load.short_year",
                        sample=f'"{col.name}"',
                    )
                    told = short
                if col.type is not ColType.TEXT and not (is_day and not census[col.name][0]):
                    typed = typed_expr(col.name, col.type, mark)
                    bad = f"{trimmed(col.name)} IS NOT NULL AND {typed} IS NULL AND NOT {told}"
                    self._rows(src, bad, col.name, _NOT_A[col.type], sample=f'"{col.name}"')
                if is_day and len(self.problems) == found:
                    # a column's days are judged once every one of its values reads as a day
                    self._window(src, col, *census[col.name][1:])
            self._rules(src)
        if not self.problems:
            self._duplicates()

    def _census(self, src: StagedSource) -> dict[str, tuple]:
        """One pass over ``src`` for what the row-by-row checks need to know first (large event files).

        ``controls``: (rows with a control character in any id column, counted on the raw text, edges
        included); per date column (values that read as no day, first day, last day).
        """
        cols = [c for c in self.table.columns if c.name in src.columns]
        ids = [f'"{c.name}"' for c in cols if c.ident]
        parts: dict[str, list[str]] = {}
        inner: list[str] = []
        if ids:
            inner.append(f"concat({', '.join(ids)}) AS _ids")
            parts["controls"] = [f"count(*) FILTER (regexp_matches(_ids, '{CONTROL_CHARS}'))"]
        for i, col in enumerate(c for c in cols if c.type in (ColType.DATE, ColType.TIMESTAMP)):
            # the typed value once per row (an aggregate of an expression would parse it for each aggregate)
            inner += [f"{trimmed(col.name)} AS _v{i}", f"{typed_expr(col.name, col.type)} AS _t{i}"]
            bad = f"count(*) FILTER (_v{i} IS NOT NULL AND _t{i} IS NULL)"
            parts[col.name] = [bad, f"CAST(min(_t{i}) AS DATE)", f"CAST(max(_t{i}) AS DATE)"]
        out: dict[str, tuple] = {"controls": (0,)}
        if not parts:
            return out
        flat = ", ".join(e for es in parts.values() for e in es)
        row = one_row(self.con, f"SELECT {flat} FROM (SELECT {', '.join(inner)} FROM {src.table})")
        i = 0
        for name, es in parts.items():
            out[name], i = tuple(row[i : i + len(es)]), i + len(es)
        return out

    def _ident(self, src: StagedSource, col: Column, controls: int) -> None:
        """An id is matched byte for byte: a control character or a float column would split or lose rows."""
        if col.name in src.float_columns:
            self._rows(
                src,
                f"{trimmed(col.name)} IS NOT NULL",
                col.name,
                "load.float_ids",
                sample=f'"{col.name}"',
            )
        if controls:
            self._rows(
                src,
                f"regexp_matches({trimmed(col.name)}, '{CONTROL_CHARS}')",
                col.name,
                "load.control_in_id",
                sample=f'"{col.name}"',
            )

    def _decimal_mark(self, src: StagedSource, col: Column) -> tuple[str, str]:
        """The decimal mark of ``col`` in this file, from all its values; (mark, rows already reported).

        A column mixing 12,50 and 12.50 is refused at the rows of the rarer style; a value that reads both ways
        (1,234) is refused when no other value of the column decides the mark.
        """
        v = number_source(col.name, col.type)
        either = f"regexp_full_match({v}, '{EITHER_MARK}')"
        comma = f"coalesce(NOT {either} AND regexp_full_match({v}, '{COMMA_ONLY}'), false)"
        dot = f"coalesce(NOT {either} AND regexp_full_match({v}, '{DOT_ONLY}'), false)"
        n_comma, n_dot, n_either = one_row(
            self.con,
            f"SELECT count(*) FILTER ({comma}), count(*) FILTER ({dot}), count(*) FILTER ({either}) FROM {src.table}",
        )
        sample = f'"{col.name}"'
        if n_comma and n_dot:
            # the rarer style is the odd one out (a tie: the comma, "." being the default)
            if n_comma <= n_dot:
                self._rows(src, comma, col.name, "load.decimal_comma_odd", sample=sample, n=fmt.count(n_dot))
                return ".", comma
            self._rows(src, dot, col.name, "load.decimal_point_odd", sample=sample, n=fmt.count(n_comma))
            return ",", dot
        if n_comma:
            return ",", "false"
        if n_either and not n_dot:
            self._rows(
                src,
                f"coalesce({either}, false)",
                col.name,
                "load.ambiguous_number",
                sample=sample,
            )
        return ".", "false"

    def _window(self, src: StagedSource, col: Column, first: dt.date | None, last: dt.date | None) -> None:
        """Days outside the plausible window are refused: they would move first_day or data_through.

        ``first`` and ``last`` are the column's own first and last day in this file (from ``_census``).
        """
        w = self.window
        day = f"CAST({typed_expr(col.name, col.type)} AS DATE)"
        if first is not None and first < w.earliest:
            self._rows(
                src,
                f"{day} < DATE '{w.earliest}'",
                col.name,
                "load.day_too_early",
                sample=f'"{col.name}"',
                earliest=w.earliest,
                env=EARLIEST_DAY_ENV,
            )
        if last is not None and last > w.latest and not col.may_be_future:
            self._rows(
                src,
                f"{day} > DATE '{w.latest}'",
                col.name,
                "load.day_too_late",
                sample=f'"{col.name}"',
                latest=w.latest,
                zone=w.zone,
                env=LATEST_DAYS_AHEAD_ENV,
            )

    def _rules(self, src: StagedSource) -> None:
        table, cols = self.table, src.columns
        marks = self.marks.get(src.table, {})
        if table.name == "ad_spend":
            for c in ("spend", "impressions", "clicks"):
                if c in cols:
                    typ = table.column(c).type
                    neg = f"{typed_expr(c, typ, marks.get(c, '.'))} < 0"
                    self._rows(src, neg, c, "load.negative", sample=f'"{c}"')
            if "clicks" in cols and "impressions" in cols:
                clicks, imps = (
                    typed_expr("clicks", ColType.INTEGER, marks.get("clicks", ".")),
                    typed_expr("impressions", ColType.INTEGER, marks.get("impressions", ".")),
                )
                self._rows(
                    src,
                    f"{clicks} > {imps}",
                    "clicks",
                    "load.clicks_over_impressions",
                    sample='concat("clicks", \' > \', "impressions")',
                )
        if table.name == "campaigns":
            if "phase" in cols:
                allowed = ", ".join(f"'{p}'" for p in CAMPAIGN_PHASES)
                self._rows(
                    src,
                    f"lower({trimmed('phase')}) NOT IN ({allowed})",
                    "phase",
                    "load.bad_phase",
                    sample='"phase"',
                    phases=", ".join(CAMPAIGN_PHASES),
                )
            if "start_date" in cols and "end_date" in cols:
                s, e = typed_expr("start_date", ColType.DATE), typed_expr("end_date", ColType.DATE)
                self._rows(src, f"{e} < {s}", "end_date", "load.ends_before_start")
        if table.name == "orders" and "amount" in cols:
            pass  # a negative amount is a refund: allowed by the contract

    def _duplicates(self) -> None:
        """A key twice in one load is refused: an upsert would silently keep one of the two."""
        table = self.table
        key = list(table.key)
        # events: only rows that have an event_id are keyed (a source without the column adds none)
        parts = []
        for i, src in enumerate(self.staged):
            exprs = ", ".join(
                f'{typed_expr(k, table.column(k).type) if k in src.columns else "NULL"} AS "{k}"' for k in key
            )
            parts.append(f"SELECT {i} AS _src, _row, {exprs} FROM {src.table}")
        union = " UNION ALL ".join(parts)
        keys = ", ".join(f'"{k}"' for k in key)
        only_present = " AND ".join(f'"{k}" IS NOT NULL' for k in key if table.column(k).required or k == "event_id")
        where = f"WHERE {only_present}" if only_present else ""
        # find the first few duplicated keys cheaply, then collect the rows of just those keys
        same = " AND ".join(f'k."{k}" IS NOT DISTINCT FROM d."{k}"' for k in key)
        dkeys = ", ".join(f'd."{k}"' for k in key)
        dups = self.con.execute(
            f"""WITH k AS (SELECT * FROM ({union}) {where}),
                d AS (SELECT {keys}, min(_row) AS _first FROM k GROUP BY ALL HAVING count(*) > 1
                      ORDER BY _first LIMIT {_SHOW_ROWS})
                SELECT {dkeys}, list(k._src ORDER BY k._src, k._row), list(k._row ORDER BY k._src, k._row)
                FROM d JOIN k ON {same} GROUP BY ALL ORDER BY min(d._first)"""
        ).fetchall()
        for row in dups:
            value = ", ".join(f"{k}={v}" for k, v in zip(key, row[: len(key)], strict=True))
            srcs, rows = row[-2], row[-1]
            src = self.staged[srcs[0]]
            here = tuple(r for s, r in zip(srcs, rows, strict=True) if s == srcs[0])
            elsewhere = ", ".join(
                f"{self.staged[s].label} {self.staged[s].row_word} {r}"
                for s, r in zip(srcs, rows, strict=True)
                if s != srcs[0]
            )
            also = both("load.duplicate_also", where=elsewhere) if elsewhere else ("", "")
            zh, en = (
                t("load.duplicate_key", lang, value=value, also=a) for lang, a in zip(("zh", "en"), also, strict=True)
            )
            self.problems.append(Problem(src.label, here[:_SHOW_ROWS], ", ".join(key), en, src.row_word, message_zh=zh))
