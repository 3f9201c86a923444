"""Staging a CSV file: its encoding (UTF-8, UTF-8 with BOM, GB18030/GBK), its delimiter and its line numbers.

The CSV is read by DuckDB with every column as text and explicit options (the sniffer silently folds a
ragged file into one column); GBK is decoded here in Python, because DuckDB reads no GBK without
downloading an extension.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import logging
import re
from pathlib import Path

import duckdb
import pandas as pd

from opsplan import fmt
from opsplan.store.staging import CHUNK, SourceError, StagedSource, create_raw_table, file_checksum, normalise_name
from opsplan.words import t

logger = logging.getLogger(__name__)


def _utf8_failure(path: Path) -> tuple[int, int] | None:
    """(byte, line) of the first byte that is not UTF-8, None when the whole file is UTF-8."""
    line = 1
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        try:
            for block in iter(lambda: fh.read(CHUNK), b""):
                decoder.decode(block)
                line += block.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            # exc.object is the decoder's buffer: the bytes held back from the last block (never a newline) + this one
            data = bytes(exc.object)
            return data[exc.start], line + data[: exc.start].count(b"\n")
    return None


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' or 'utf-8' when every byte decodes as UTF-8, else 'gb18030' (a superset of GBK).

    'gb18030' is only a candidate: ``stage_csv`` still checks that the file reads as Chinese text.
    """
    if _utf8_failure(path) is not None:
        return "gb18030"
    with open(path, "rb") as fh:
        head = fh.read(3)
    return "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"


#: the share of a GBK file's non-ASCII characters that must be common Chinese ones (see ``_common_chinese``)
_MIN_COMMON_SHARE = 0.8


#: characters outside the Basic Multilingual Plane (emoji, rare ideographs): neither evidence for nor against
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _common_chinese() -> re.Pattern[str]:
    """The characters of GB2312's hanzi rows (0xB0A1-0xF7FE) and punctuation rows (0xA1A1-0xA3FE).

    GB18030 decodes almost any bytes, so "it decodes" proves nothing: Latin-1 'Müller' reads as 'M黮ler',
    Shift-JIS '東京' as '搶嫗', Big5 '臺灣' as '籓芖' — characters from GBK's rare extension rows (their second
    byte is an ASCII letter or below 0xA1) or from rows Chinese text does not use. Real Chinese text is almost
    all GB2312 hanzi and punctuation (抖音, 小红书, 微信朋友圈, ，。：).
    """
    chars = []
    for lead in (*range(0xA1, 0xA4), *range(0xB0, 0xF8)):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.append(bytes((lead, trail)).decode("gb2312"))
    return re.compile("[" + re.escape("".join(chars)) + "]")


#: what ends a field when quoting the mojibake back to the user: "Berlin,M黮ler,x" → "M黮ler"
_FIELD_END = re.compile(r'[,;\t|"\r\n]')


def _first_uncommon(path: Path) -> tuple[int, str]:
    """(line, the field holding it) of the first non-ASCII character that is no common Chinese one."""
    common = _common_chinese()
    with open(path, encoding="utf-8", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            for i, ch in enumerate(line):
                if ord(ch) > 0x7F and not _ASTRAL.match(ch) and not common.match(ch):
                    fields = _FIELD_END.split(line[:i])
                    rest = _FIELD_END.split(line[i:])
                    return number, (fields[-1] + rest[0])[-20:]
    return 0, ""


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _utf8_copy(path: Path, encoding: str, workdir: Path, not_utf8: tuple[int, int] | None = None) -> Path:
    """DuckDB reads no GBK without downloading an extension: decode in Python, in blocks.

    For GB18030 (``not_utf8``: the first byte that is not UTF-8, and its line) the decoded text must read as
    Chinese, else the file is refused saying what was tried: "not UTF-8 (byte 0xE9 at line 3) and not GB18030 …".
    """
    out = workdir / (path.stem + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    byte, at = not_utf8 or (0, 1)

    def not_text(row: int, why: str, **values: object) -> SourceError:
        """Neither UTF-8 nor GB18030, saying ``why`` GB18030 failed (a catalogue key)."""
        zh, en = (
            t("source.not_text", lang, byte=f"{byte:02X}", at=at, why=t(why, lang, **values)) for lang in ("zh", "en")
        )
        return SourceError(str(path), en, (row,), message_zh=zh)

    check = encoding == "gb18030"
    common = _common_chinese()
    n_common = n_other = 0
    with open(path, "rb") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        for block in iter(lambda: src.read(CHUNK), b""):
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:
                data = bytes(exc.object)
                bad = line + data[: exc.start].count(b"\n")
                row = at if not_utf8 else bad
                raise not_text(row, "source.why.bad_byte", byte=f"{data[exc.start]:02X}", line=bad) from None
            line += block.count(b"\n")
            if check:
                # counted in C: non-ASCII = all - ASCII - astral; common = GB2312 hanzi and punctuation
                ascii_chars = len(text.encode("ascii", "ignore"))
                n_c = common.subn("", text)[1]
                n_common += n_c
                n_other += len(text) - ascii_chars - _ASTRAL.subn("", text)[1] - n_c
            dst.write(text)
        try:
            dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise not_text(at if not_utf8 else line, "source.why.cut_off", line=line) from None
    if check and n_other > (1 - _MIN_COMMON_SHARE) * (n_common + n_other):
        where, sample = _first_uncommon(out)
        n = fmt.count(n_common + n_other)
        raise not_text(at, "source.why.uncommon", common=fmt.count(n_common), n=n, sample=repr(sample), line=where)
    return out


def _last_content_line(path: Path) -> int:
    """The number of the last line holding anything but white space (0 for a blank file)."""
    last = 0
    newlines = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            body = block.rstrip()
            if body:
                last = newlines + body.count(b"\n") + 1
            newlines += block.count(b"\n")
    return last


def _data_line_numbers(path: Path, delim: str) -> list[int]:
    """The line on which each data record starts, skipping blank lines as DuckDB does.

    Only needed when a file's records are not one per line (blank lines, quoted line breaks).
    """
    starts: list[int] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=delim, quotechar='"', doublequote=True)
        before = 0
        header = True
        for record in reader:
            start, before = before + 1, reader.line_num
            if not record:
                continue
            if header:
                header = False
                continue
            starts.append(start)
    return starts


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, workdir: Path) -> StagedSource:
    label = str(path)
    if path.stat().st_size == 0:
        raise SourceError.worded(label, "source.empty_file", (1,))
    not_utf8 = _utf8_failure(path)
    if not_utf8 is not None:
        readable = _utf8_copy(path, "gb18030", workdir, not_utf8)
    else:
        with open(path, "rb") as fh:
            bom = fh.read(3) == codecs.BOM_UTF8
        readable = _utf8_copy(path, "utf-8-sig", workdir) if bom else path
    with open(readable, encoding="utf-8", newline="") as fh:
        header_line = fh.readline()
    if not header_line.strip():
        raise SourceError.worded(label, "source.empty_header", (1,))
    delim = _sniff_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delim))
    names = [normalise_name(h) for h in header]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise SourceError.worded(label, "source.duplicate_header", (1,), columns=", ".join(dup))
    columns = {f"c{i}": "VARCHAR" for i in range(len(names))}
    data = f"{table}_text"
    try:
        # Explicit options: the sniffer silently folds a ragged file into one column.
        con.execute(
            f"""CREATE OR REPLACE TABLE {data} AS
                SELECT * FROM read_csv(?, header = true, auto_detect = false, delim = ?, quote = '"',
                    escape = '"', columns = {columns!r}, strict_mode = true, null_padding = false,
                    all_varchar = true)""",
            [str(readable), delim],
        )
    except duckdb.Error as exc:
        line = re.search(r"Line: (\d+)", str(exc))
        reason = str(exc).splitlines()[0].split("Error: ", 1)[-1]
        rows = (int(line.group(1)),) if line else ()
        found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", str(exc))
        if "Expected Number of Columns" in str(exc) and found:
            raise SourceError.worded(label, "source.field_count", rows, expected=found[1], found=found[2]) from None
        raise SourceError(label, reason, rows) from None
    rows = int(con.execute(f"SELECT count(*) FROM {data}").fetchall()[0][0])
    if _last_content_line(readable) == rows + 1:
        # one record per line, no blank lines: data row i (from 0) is on line i + 2
        create_raw_table(con, table, names, f"SELECT rowid + 2 AS _row, * FROM {data}", [])
    else:
        starts = _data_line_numbers(readable, delim)
        if len(starts) == rows:
            lines = pd.DataFrame({"_line": pd.array(starts, dtype="int64")})
            con.register("_lines", lines)
            try:
                create_raw_table(
                    con,
                    table,
                    names,
                    f"SELECT _lines._line AS _row, d.* FROM {data} d POSITIONAL JOIN _lines",
                    [],
                )
            finally:
                con.unregister("_lines")
        else:  # Python and DuckDB disagree on the records: fall back to counting records
            logger.warning("%s: could not map rows to lines; row numbers count records", label)
            create_raw_table(con, table, names, f"SELECT rowid + 2 AS _row, * FROM {data}", [])
    con.execute(f"DROP TABLE {data}")
    return StagedSource(label, table, tuple(names), rows, file_checksum(path), row_word="line", header_row=1)
