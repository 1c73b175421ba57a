"""A labelled table from an uploaded CSV file, checked, for the network page (pure: no I/O, no Streamlit).

The file arrives as bytes and is read in memory with the standard ``csv`` module and ``float``: nothing is written to
disk, no cell is evaluated (no pandas ``eval``, no ``literal_eval``).  Two steps, because the user picks the label
column after seeing the columns:

* `read` turns the bytes into a `Sheet`: column names and each column's numbers (or its text).
* `table` picks the label column and makes a `Table`: numeric feature columns ``X``, class indices ``y``, and the
  class names; `Table.data` splits and standardises it like the real data sets (`landscapes.datasets.prepared`).

Every refusal is a `TableError` with a ``code`` and the numbers that explain it (the UI words them); the limits are
`MAX_BYTES`, `MAX_ROWS`, `MAX_FEATURES`, `MAX_CLASSES` and `MAX_ABS`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from . import datasets

MAX_BYTES = 4_000_000  # 4 MB: 5,000 rows of 65 numbers of eleven characters (12 with the separator) fit
MAX_ROWS = 5000
MAX_FEATURES = 64
MAX_CLASSES = 10
MIN_ROWS = 4
MAX_ABS = 1e9
"""Larger magnitudes are refused: standardisation would still work, but such a column is almost always an id or a
timestamp, and float64 sums of 5,000 of them lose the digits that distinguish the rows."""
MANY_VALUES = 30
"""A label with more distinct values than this (and more than `MAX_CLASSES`) is called a measurement, not classes."""
MAX_NAME = 40  # characters of a column name that are kept (names are shown in menus and captions)
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "?", "-", "--"})

CODES = ("too_big", "not_text", "empty", "ragged", "one_column", "too_few_rows", "too_many_rows",
         "too_many_columns", "unknown_label", "no_numeric", "missing", "huge", "one_class", "too_many_classes",
         "label_values", "tiny_class")
"""Every reason a file or a label choice is refused (`TableError.code`)."""


class TableError(ValueError):
    """A refused file or label: ``code`` (one of `CODES`) and ``details`` (the numbers and names it is about)."""

    def __init__(self, code: str, **details: Any):
        assert code in CODES, code
        super().__init__(f"{code}: {details}")
        self.code = code
        self.details = details


class Sheet(NamedTuple):
    """The file as columns: ``names``; per column its numbers (``float64``, NaN where a cell is missing) or None
    when some cell is text; its cells as text; the data rows counted from 1 after the header (``header``: whether
    the first line was one)."""

    name: str
    names: tuple[str, ...]
    numbers: tuple[np.ndarray | None, ...]
    text: tuple[tuple[str, ...], ...]
    header: bool
    digest: str

    @property
    def rows(self) -> int:
        return len(self.text[0]) if self.text else 0

    def numeric(self) -> tuple[str, ...]:
        """The columns whose every present cell is a number."""
        return tuple(n for n, v in zip(self.names, self.numbers) if v is not None)


def _number(cell: str) -> float | None:
    """The cell as a float, NaN when it is missing, None when it is text."""
    c = cell.strip()
    if c.lower() in MISSING:
        return math.nan
    try:
        return float(c)  # decimal text only: float() parses, never evaluates
    except ValueError:
        return None


def _clean(name: str, i: int) -> str:
    text = "".join(ch for ch in name.strip() if ch.isprintable())[:MAX_NAME]
    return text or f"column {i + 1}"


def read(raw: bytes, name: str = "upload.csv") -> Sheet:
    """Parse CSV bytes (UTF-8, comma, semicolon or tab separated; a header line is recognised by a cell that is
    not a number).  Raises `TableError` for a file that is too big, not text, empty, ragged or too large."""
    if len(raw) > MAX_BYTES:
        raise TableError("too_big", size=len(raw), limit=MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError("not_text") from None
    if "\x00" in text:
        raise TableError("not_text")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise TableError("empty")
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise TableError("ragged", line=i + 1, cells=len(row), expected=width)
    if width < 2:
        raise TableError("one_column")
    if width > MAX_FEATURES + 1:
        raise TableError("too_many_columns", columns=width, limit=MAX_FEATURES + 1)
    header = any(_number(c) is None for c in rows[0])
    body = rows[1:] if header else rows
    if not body:
        raise TableError("empty")
    if len(body) > MAX_ROWS:
        raise TableError("too_many_rows", rows=len(body), limit=MAX_ROWS)
    if len(body) < MIN_ROWS:
        raise TableError("too_few_rows", rows=len(body), limit=MIN_ROWS)
    names = [_clean(c, i) for i, c in enumerate(rows[0])] if header else [f"column {i + 1}" for i in range(width)]
    seen: dict[str, int] = {}
    for i, n in enumerate(names):  # duplicate names get a number, so a label choice is never ambiguous
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[i] = f"{n} ({seen[n]})"
    columns = list(zip(*body))
    numbers = []
    for col in columns:
        values = [_number(c) for c in col]
        numbers.append(None if any(v is None for v in values) else np.asarray(values, np.float64))
    digest = hashlib.sha256(raw).hexdigest()
    return Sheet(name, tuple(names), tuple(numbers), tuple(tuple(c.strip() for c in col) for col in columns),
                 header, digest)


def _class_key(value: str, number: float | None):
    return (0, number, "") if number is not None else (1, 0.0, value)


def table(sheet: Sheet, label: str) -> Table:
    """The sheet with ``label`` as its class column and every other numeric column as a feature.  Raises
    `TableError` for a missing or huge value, no feature, one class, too many classes (or a label that looks like a
    measurement) and a class of one row (it could not be both learned and held out)."""
    if label not in sheet.names:
        raise TableError("unknown_label", label=label)
    li = sheet.names.index(label)
    features = [i for i, v in enumerate(sheet.numbers) if v is not None and i != li]
    if not features:
        raise TableError("no_numeric")
    X = np.stack([sheet.numbers[i] for i in features], axis=1)
    bad = np.argwhere(np.isnan(X))
    if bad.size:
        r, c = bad[0]
        raise TableError("missing", column=sheet.names[features[c]], row=int(r) + 1, count=len(bad))
    big = np.argwhere(~(np.abs(X) <= MAX_ABS))
    if big.size:
        r, c = big[0]
        raise TableError("huge", column=sheet.names[features[c]], row=int(r) + 1, value=float(X[r, c]),
                         limit=MAX_ABS)
    cells = sheet.text[li]
    numbers = sheet.numbers[li]
    for r, cell in enumerate(cells):
        if cell.lower() in MISSING:
            raise TableError("missing", column=label, row=r + 1, count=sum(c.lower() in MISSING for c in cells))
    # Class names: numeric labels by value (1 and 1.0 are one class), text labels as written.
    keys = [_class_key(c, None if numbers is None else float(numbers[r])) for r, c in enumerate(cells)]
    distinct = sorted(set(keys))
    if len(distinct) < 2:
        raise TableError("one_class", label=label)
    if len(distinct) > MAX_CLASSES:
        code = "label_values" if len(distinct) > MANY_VALUES else "too_many_classes"
        raise TableError(code, label=label, values=len(distinct), limit=MAX_CLASSES)
    index = {k: i for i, k in enumerate(distinct)}
    y = np.asarray([index[k] for k in keys], np.int32)
    counts = np.bincount(y, minlength=len(distinct))
    if counts.min() < 2:
        k = distinct[int(np.argmin(counts))]
        raise TableError("tiny_class", label=label, value=_class_name(k))
    X.setflags(write=False)
    y.setflags(write=False)
    ignored = tuple(n for i, n in enumerate(sheet.names) if i != li and i not in features)
    return Table(sheet.name, f"{sheet.digest}:{li}", tuple(sheet.names[i] for i in features), label,
                 tuple(_class_name(k) for k in distinct), X, y, ignored)


def _class_name(key) -> str:
    kind, number, text = key
    if kind == 1:
        return text[:MAX_NAME]
    return str(int(number)) if float(number).is_integer() and abs(number) < 1e15 else f"{number:g}"


@dataclass(frozen=True, eq=False)
class Table:
    """A checked, labelled table: ``X (rows, features)`` as uploaded, class indices ``y``, the names of the
    features and classes, and the text columns that were ``ignored``.  Equal and hashed by ``digest`` (the file's
    SHA-256 and the label column), so it can be part of a cache key without hashing its arrays."""

    name: str
    digest: str
    features: tuple[str, ...]
    label: str
    classes: tuple[str, ...]
    X: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    ignored: tuple[str, ...] = ()

    def __eq__(self, other):
        return isinstance(other, Table) and other.digest == self.digest

    def __hash__(self):
        return hash(self.digest)

    @property
    def rows(self) -> int:
        return int(self.y.size)

    def data(self, seed: int = 0) -> datasets.Data:
        """Split per class (`datasets.HELD_OUT` held out, drawn from ``seed``) and standardised on the training
        rows, as the real data sets are."""
        return datasets.prepared(self.X, self.y, self.classes, self.features, seed)


def parse(raw: bytes, name: str, label: str | None = None) -> tuple[Sheet, Table]:
    """`read` then `table` with ``label`` (default: the last column)."""
    sheet = read(raw, name)
    return sheet, table(sheet, sheet.names[-1] if label is None else label)


def example(rows: int = 60, seed: int = 0) -> bytes:
    """A small CSV with a header: two Gaussian blobs per class in 3 features, three classes named by text."""
    rng = np.random.default_rng(seed)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["length", "width", "weight", "kind"])
    for r in range(rows):
        c = r % 3
        x = rng.standard_normal(3) + np.array([0.0, 2.0, 4.0])[c]
        w.writerow([f"{v:.4f}" for v in x] + [("apple", "pear", "plum")[c]])
    return out.getvalue().encode()
