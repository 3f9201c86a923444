"""What every source becomes before it is checked: an all-text staging table with its row numbers.

Shared by the file readers (``csv_files``, ``sources``) and the SQL reader (``sql_read``): the staged
table's shape (``StagedSource``), the error for a source that cannot be read at all (``SourceError``),
and the private, locked scratch folder a load stages in.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from opsplan.words import both

logger = logging.getLogger(__name__)

#: bytes read at a time when hashing or decoding a file
CHUNK = 1 << 20


_WORKDIR_PREFIX = "opsplan-load-"


class SourceError(ValueError):
    """A source that cannot be read at all (bad encoding, broken CSV, unreachable database).

    ``source`` names the file (or masked URL), ``rows`` the line/row numbers when known. ``worded`` makes one
    from a catalogue key, with its Chinese words too.
    """

    @classmethod
    def worded(
        cls, source: str, word: str, rows: Sequence[int] = (), row_word: str = "line", **values: object
    ) -> SourceError:
        zh, en = both(word, **values)
        return cls(source, en, rows, row_word, message_zh=zh)

    def __init__(
        self, source: str, message: str, rows: Sequence[int] = (), row_word: str = "line", *, message_zh: str = ""
    ) -> None:
        self.source = source
        self.message = message
        #: the reason in Chinese, for the Data page ("" when only English is known)
        self.message_zh = message_zh
        self.rows = tuple(rows)
        self.row_word = row_word
        where = source
        if self.rows:
            word = row_word + ("s" if len(self.rows) > 1 else "")
            where += f": {word} {', '.join(str(r) for r in self.rows)}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class StagedSource:
    """One source staged as table ``raw`` … with columns ``_row`` (row as a person counts it) + text."""

    label: str
    table: str
    columns: tuple[str, ...]
    rows: int
    checksum: str
    #: what a person calls the row number: "row" in a sheet, "line" in a CSV file
    row_word: str = "row"
    #: the row/line of the header, if the source has one (a CSV line 1, a sheet's header row)
    header_row: int | None = None
    #: columns the source itself types as floating-point numbers (Parquet FLOAT/DOUBLE): ids there arrive as 123.0
    float_columns: tuple[str, ...] = ()


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def normalise_name(name: str) -> str:
    # "Signup_At " → "signup_at"; column names are case-insensitive on input
    return re.sub(r"\s+", "_", name.strip().lstrip("\ufeff").lower())


def create_raw_table(
    con: duckdb.DuckDBPyConnection, table: str, names: Sequence[str], select: str, params: list[object]
) -> None:
    """The staging table ``table``: ``_row`` and one text column per name, from ``select``.

    ``select`` yields ``_row`` then columns c0, c1, … in file order.
    """
    cols = ", ".join(f'c{i} AS "{n}"' for i, n in enumerate(names))
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT _row, {cols} FROM ({select})", params)


#: a staging folder without its lock file this old was left by a load killed while it was being made
_UNLOCKED_STALE_SECONDS = 3600.0


def remove_stale_workdirs(base: Path | None = None) -> None:
    """Staging folders of loads that were killed (they can be large): removed by the next load.

    A live load holds an ``flock`` on ``<folder>/.lock`` while it runs; a folder whose lock can be
    taken belongs to a process that is gone (this works across PID namespaces sharing a /tmp).
    """
    root = Path(base or tempfile.gettempdir())
    for folder in root.glob(_WORKDIR_PREFIX + "*"):
        if not folder.is_dir():
            continue
        try:
            fd = os.open(folder / ".lock", os.O_RDWR)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > _UNLOCKED_STALE_SECONDS:
                    shutil.rmtree(folder)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a running load
        else:
            logger.info("removing %s left by an interrupted load", folder)
            with contextlib.suppress(OSError):
                shutil.rmtree(folder)
        finally:
            os.close(fd)


@contextlib.contextmanager
def new_workdir() -> Iterator[str]:
    """A private staging folder, locked while this load runs, so that a later load can clean it up."""
    remove_stale_workdirs()
    with tempfile.TemporaryDirectory(prefix=_WORKDIR_PREFIX) as folder:
        fd = os.open(Path(folder) / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield folder
        finally:
            os.close(fd)
