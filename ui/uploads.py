"""Loading from the Data page: an uploaded file or a database query goes through the same validated,
all-or-nothing loader as `opsplan load`; a refusal comes back as rows a person can read."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from opsplan import fmt
from opsplan.store.loading import LoadError, LoadResult, load, load_sql
from opsplan.store.sources import mask_url
from opsplan.store.warehouse import Warehouse
from opsplan.words import t


@dataclass(frozen=True)
class Outcome:
    """What a load did: the result, or the problems (file, rows, column, why) with nothing written."""

    result: LoadResult | None = None
    problems: list[dict[str, str]] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.result is not None


def problem_rows(exc: LoadError) -> list[dict[str, str]]:
    """One row per problem: where (source, rows, column) and why, in both languages (the page picks one)."""
    return [
        {
            "source": p.source,
            "rows": ", ".join(str(r) for r in p.rows) + (f" (+{fmt.count(p.more)})" if p.more else ""),
            "column": p.column or "",
            "problem": p.text("en"),
            "problem_zh": p.text("zh"),
        }
        for p in exc.problems
    ]


def load_upload(wh: Warehouse, table: str, filename: str, content: bytes, tz: str | None = None) -> Outcome:
    """Write the upload to a temporary file that keeps its name (messages name it) and load it."""
    with tempfile.TemporaryDirectory(prefix="opsplan-upload-") as tmp:
        path = Path(tmp) / Path(filename).name
        path.write_bytes(content)
        try:
            return Outcome(result=load(wh, table, [path], tz=tz))
        except LoadError as exc:  # name the file as the person uploaded it, not our temporary path
            rows = problem_rows(exc)
            for row in rows:
                row["source"] = row["source"].replace(str(path), path.name)
            return Outcome(problems=rows, error=str(exc).splitlines()[0].replace(str(path), path.name))


def load_query(wh: Warehouse, table: str, url: str, query: str, tz: str | None = None) -> Outcome:
    """A query on the team's own database (any SQLAlchemy URL); the password never appears in a message."""
    try:
        return Outcome(result=load_sql(wh, table, url, query, tz=tz))
    except LoadError as exc:
        rows = problem_rows(exc)
        for row in rows:
            row["source"] = mask_url(url) if url in row["source"] else row["source"]
        return Outcome(problems=rows, error=str(exc).splitlines()[0].replace(url, mask_url(url)))


def problems_frame(outcome: Outcome, lang: str) -> pd.DataFrame:
    """The problems as a table headed in ``lang`` (File, Row(s), Column, Why)."""
    names = ["source", "rows", "column", "problem"]
    frame = pd.DataFrame(outcome.problems, columns=[*names, "problem_zh"])
    if lang == "zh":  # the reason in Chinese where the engine gave one
        frame["problem"] = frame["problem_zh"].where(frame["problem_zh"].fillna("") != "", frame["problem"])
    return frame[names].rename(columns={k: t(f"data.problem_{k}", lang) for k in names})
