"""A table file as text: its bytes decoded, its header and its rows, each row numbered.

What a spreadsheet exports: CSV (commas) or TSV (tabs), in UTF-8 with or
without a byte-order mark, in GB18030 (what Excel and WPS write for a
Chinese sheet on Chinese Windows: a superset of GBK and GB2312), or in
UTF-16 with its byte-order mark (Excel's "Unicode text"). Rows are numbered
as the spreadsheet numbers them: the header is row 1. Blank rows (nothing,
or only separators) are skipped; anything else that is not a table is
refused in one line naming the file and, where there is one, the row:

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "flowers.csv"
>>> _ = path.write_text("长度,宽度,品种\\n1.4,0.2,setosa\\n", encoding="gb18030")
>>> read_rows(path)
(('长度', '宽度', '品种'), [(2, ['1.4', '0.2', 'setosa'])])
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from iris_keras.errors import UsageError

ENCODINGS = "UTF-8 (with or without a byte-order mark), GB18030 or UTF-16 with its byte-order mark"
ACCEPTED_FILE = f"CSV or TSV text in {ENCODINGS}"
# The first bytes of files that are not text, and what to tell their owner.
SIGNATURES = {
    b"PK\x03\x04": "a zip archive (an Excel .xlsx or WPS .et workbook is one)",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls or WPS workbook",
    b"%PDF": "a PDF document",
}
BOMS = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}
# What a failed decoding was, in the user's words.
DECODED_AS = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "UTF-8 nor GB18030"}

Row = tuple[int, list[str]]


def refuse(
    path: str | Path,
    problem: str,
    expected: str,
    *,
    row: int | None = None,
    column: str | None = None,
) -> UsageError:
    """The one-line error for a refused table, naming the file and where in it.

    Example:
    >>> print(refuse("a.csv", "'x' is not a number", "numbers", row=3, column="ash"))
    Received data='a.csv': 'x' is not a number (row 3, column 'ash'); expected numbers.
    """
    where = [f"row {row}"] if row is not None else []
    where += [f"column {column!r}"] if column is not None else []
    located = f" ({', '.join(where)})" if where else ""
    return UsageError(f"Received data={str(path)!r}: {problem}{located}; expected {expected}.")


def read_rows(path: str | Path) -> tuple[tuple[str, ...], list[Row]]:
    """Reads a CSV or TSV file into its column names and its numbered rows.

    Args:
        path: the file. A `.tsv` or `.tab` file is split on tabs, a `.csv`
            file on commas; another name on tabs when its header holds one,
            else on commas.

    Returns:
        `(header, rows)`: the column names, stripped of spaces, and a list
        of `(row_number, cells)`, each cell a stripped string, each row as
        long as the header.

    Raises:
        UsageError: no such file, a file that is not text in an accepted
            encoding, an empty file, a header with an empty or repeated
            name, a row with more or fewer cells than the header, or a
            quote left open.
    """
    text = decode(path, _read_bytes(path))
    delimiter = _delimiter(path, text)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    numbered = _numbered(path, records)
    header = next(numbered, None)
    if header is None:
        raise refuse(
            path, "the file is empty", "a header row of column names, then one row per sample"
        )
    names = _check_header(path, *header)
    rows = list(numbered)
    for number, cells in rows:
        if len(cells) != len(names):
            raise refuse(
                path,
                f"{len(cells)} cells where the header has {len(names)}",
                f"as many cells in every row as there are column names (separated by "
                f"{_separator_name(delimiter)})",
                row=number,
            )
    return names, rows


def decode(path: str | Path, raw: bytes) -> str:
    """The text of a file's bytes: by its byte-order mark, else UTF-8, else GB18030.

    Raises:
        UsageError: bytes that are a known binary format, hold a NUL byte,
            or decode in none of the accepted encodings.
    """
    for signature, what in SIGNATURES.items():
        if raw.startswith(signature):
            raise refuse(path, f"{what}, not text", f"{ACCEPTED_FILE}: save the sheet as CSV")
    for bom, encoding in BOMS.items():
        if raw.startswith(bom):
            return _decoded(path, raw, encoding)
    if b"\x00" in raw:
        raise refuse(path, "binary data (a NUL byte), not text", ACCEPTED_FILE)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decoded(path, raw, "gb18030").removeprefix("\ufeff")


def _read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise refuse(path, "no such file", f"a file of {ACCEPTED_FILE}") from None
    except IsADirectoryError:
        raise refuse(path, "a folder", f"a file of {ACCEPTED_FILE}") from None
    except OSError as error:
        raise refuse(path, f"unreadable ({error.strerror})", "a file you may read") from None


def _decoded(path: str | Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        what = DECODED_AS[encoding]
        raise refuse(path, f"bytes that are not {what} text", ENCODINGS, row=line) from None


def _delimiter(path: str | Path, text: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "\t"
    if suffix == ".csv":
        return ","
    return "\t" if "\t" in text.split("\n", 1)[0] else ","


def _separator_name(delimiter: str) -> str:
    return "tabs" if delimiter == "\t" else "commas"


def _numbered(path: str | Path, records: Iterable[list[str]]) -> Iterator[Row]:
    """`(row_number, stripped cells)` for each record that is not blank."""
    number = 0
    try:
        for number, cells in enumerate(records, start=1):
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                yield number, stripped
    except csv.Error as error:
        problem = "a quote that never closes" if "end of data" in str(error) else str(error)
        raise refuse(path, problem, "quotes that open and close in pairs", row=number + 1) from None


def _check_header(path: str | Path, number: int, names: list[str]) -> tuple[str, ...]:
    for index, name in enumerate(names, start=1):
        if not name:
            raise refuse(path, f"column {index} has no name", "a name for every column", row=number)
        if name in names[: index - 1]:
            raise refuse(
                path, f"two columns named {name!r}", "a different name for every column", row=number
            )
    return tuple(names)
