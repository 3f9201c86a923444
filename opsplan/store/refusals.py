"""Why a load is refused: each ``Problem`` (where and why) and the ``LoadError`` carrying all of them.

Its own module so the checks (``validation``), the casting and the load itself can all raise it without
importing each other. Every reason carries its Chinese words too (``message_zh``): the Data page shows a
refusal in the reader's language (``Problem.text(lang)``, ``LoadError.headline(lang)``); the CLI, logs and
the failures file keep the English ``message``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opsplan.words import t


@dataclass(frozen=True)
class Problem:
    """One reason a load is refused: where (source, rows, column) and why."""

    source: str
    rows: tuple[int, ...]
    column: str | None
    message: str
    row_word: str = "line"
    more: int = 0
    #: the same reason in Chinese ("" when only English was given: ``text`` then falls back to it)
    message_zh: str = ""

    def text(self, lang: str) -> str:
        """The reason in ``lang`` (zh / en), without the where (the page shows file, rows and column apart)."""
        return self.message_zh or self.message if lang == "zh" else self.message

    def __str__(self) -> str:
        where = self.source
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows)
            word = self.row_word + ("s" if len(self.rows) > 1 else "")
            where += f": {word} {shown}" + (f" (and {self.more} more)" if self.more else "")
        if self.column:
            where += f": column {self.column}"
        return f"{where}: {self.message}"


class LoadError(ValueError):
    """A refused load. ``problems`` lists every reason; the warehouse was not touched."""

    def __init__(self, table: str, problems: Sequence[Problem]) -> None:
        self.table = table
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"load into {table} refused, nothing was written:\n{lines}")

    def headline(self, lang: str) -> str:
        """The first line in ``lang``: which load was refused and that nothing was written."""
        return t("load.refused", "zh" if lang == "zh" else "en", table=self.table)


class UnknownTableError(LoadError, KeyError):
    """A load into a table the contract does not have (still a ``KeyError`` for older callers)."""

    def __str__(self) -> str:
        return str(self.args[0])
