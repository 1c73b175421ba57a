"""An uploaded CSV (`landscapes.tables`): one test per bad input (a clear code and its numbers, never another
exception), nothing written to disk while parsing, and a good file that trains and slices."""

from __future__ import annotations

import builtins
import os
import tempfile

import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import network as N
from landscapes import tables as T
from optimizers import network as train
from tests.counting import CompileCounter


def refused(raw: bytes, label: str | None = None) -> T.TableError:
    with pytest.raises(T.TableError) as err:
        T.parse(raw, "x.csv", label)
    return err.value


def csv(rows) -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode()


GOOD = [["a", "b", "label"]] + [[i, (i * 7) % 5, i % 2] for i in range(20)]


# ------------------------------------------------------------------------------------------ one test per bad input
def test_not_csv_a_binary_file():
    e = refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert e.code == "not_text"


def test_not_csv_rows_of_different_lengths():
    e = refused(b"a,b,c\n1,2,3\n4,5\n")
    assert e.code == "ragged" and e.details == {"line": 3, "cells": 2, "expected": 3}


def test_not_csv_one_column_of_prose():
    assert refused(b"Dear reader\nthis is a letter\nnot a table\nat all\n").code == "one_column"


def test_empty_file_and_header_only():
    assert refused(b"").code == "empty"
    assert refused(b"\n  \n").code == "empty"
    assert refused(b"a,b,label\n").code == "empty"


def test_too_few_rows():
    e = refused(csv(GOOD[:3]))
    assert e.code == "too_few_rows" and e.details["limit"] == T.MIN_ROWS


def test_no_numeric_columns():
    rows = [["name", "colour", "label"]] + [[f"n{i}", "red", i % 2] for i in range(10)]
    assert refused(csv(rows)).code == "no_numeric"


def test_missing_values_say_where():
    rows = [r[:] for r in GOOD]
    rows[5][1] = ""
    rows[9][1] = "NA"
    e = refused(csv(rows))
    assert e.code == "missing" and e.details == {"column": "b", "row": 5, "count": 2}
    rows = [r[:] for r in GOOD]
    rows[3][2] = "?"
    assert refused(csv(rows)).details["column"] == "label"


def test_one_class_only():
    rows = [["a", "b", "label"]] + [[i, i, 1] for i in range(10)]
    assert refused(csv(rows)).code == "one_class"


def test_too_many_rows():
    rows = [["a", "label"]] + [[i, i % 2] for i in range(T.MAX_ROWS + 1)]
    e = refused(csv(rows))
    assert e.code == "too_many_rows" and e.details == {"rows": T.MAX_ROWS + 1, "limit": T.MAX_ROWS}


def test_too_many_columns():
    rows = [[f"f{j}" for j in range(T.MAX_FEATURES + 2)]] + [[1] * (T.MAX_FEATURES + 2)] * 5
    e = refused(csv(rows))
    assert e.code == "too_many_columns" and e.details["columns"] == T.MAX_FEATURES + 2


def test_too_many_classes():
    rows = [["a", "label"]] + [[i, i % 12] for i in range(48)]
    e = refused(csv(rows))
    assert e.code == "too_many_classes" and e.details["values"] == 12 and e.details["limit"] == T.MAX_CLASSES


def test_a_label_with_hundreds_of_values_is_a_measurement():
    rows = [["a", "price"]] + [[i, 1000 + 3.7 * i] for i in range(300)]
    e = refused(csv(rows))
    assert e.code == "label_values" and e.details["values"] == 300


def test_huge_numbers_and_infinities():
    rows = [r[:] for r in GOOD]
    rows[4][0] = "3e15"
    e = refused(csv(rows))
    assert e.code == "huge" and e.details["row"] == 4 and e.details["value"] == 3e15
    rows[4][0] = "inf"
    assert refused(csv(rows)).code == "huge"
    rows[4][0] = "1e999"  # float() overflows to inf
    assert refused(csv(rows)).code == "huge"


def test_a_class_of_one_row_cannot_be_held_out():
    rows = [r[:] for r in GOOD] + [[99, 1, 7]]
    e = refused(csv(rows))
    assert e.code == "tiny_class" and e.details["value"] == "7"


def test_too_big_a_file():
    e = refused(b"1,2\n" * (T.MAX_BYTES // 4 + 1))
    assert e.code == "too_big" and e.details["limit"] == T.MAX_BYTES


def test_an_unknown_label_column():
    assert refused(csv(GOOD), label="nope").code == "unknown_label"


def test_every_code_has_a_test_above():
    names = " ".join(n for n in globals() if n.startswith("test_"))
    covered = {"not_text", "ragged", "one_column", "empty", "too_few_rows", "no_numeric", "missing", "one_class",
               "too_many_rows", "too_many_columns", "too_many_classes", "label_values", "huge", "tiny_class",
               "too_big", "unknown_label"}
    assert covered == set(T.CODES) and names


# ------------------------------------------------------------------------------------------ what is read
def test_header_separators_text_labels_and_ignored_columns():
    raw = "id;x;y;kind;note\n" + "\n".join(f"{i};{i * 0.5};{-i};{'ab'[i % 2]};hello" for i in range(8))
    sheet, table = T.parse(raw.encode("utf-8-sig"), "t.csv", "kind")  # with a byte-order mark, ';' separated
    assert sheet.header and sheet.names == ("id", "x", "y", "kind", "note")
    assert table.features == ("id", "x", "y") and table.classes == ("a", "b") and table.ignored == ("note",)
    np.testing.assert_array_equal(table.y, [0, 1] * 4)
    np.testing.assert_allclose(table.X[:, 1], np.arange(8) * 0.5)


def test_no_header_numeric_labels_and_equal_digests():
    raw = b"1,2,0\n1,4,1\n5,6,1.0\n5,8,0\n1,1,0\n"
    sheet, table = T.parse(raw, "n.csv")
    assert not sheet.header and sheet.names == ("column 1", "column 2", "column 3")
    assert table.classes == ("0", "1") and table.y.tolist() == [0, 1, 1, 0, 0]  # 1 and 1.0 are one class
    assert table == T.parse(raw, "other name.csv")[1] and hash(table) == hash(T.parse(raw, "n.csv")[1])
    assert table != T.parse(raw, "n.csv", "column 1")[1]


def test_cells_are_never_evaluated():
    raw = b"a,label\n__import__('os').system('touch /tmp/pwned'),0\n1,1\n2,0\n3,1\n"
    sheet = T.read(raw)
    assert sheet.numeric() == ("label",)  # the text column is text
    assert refused(raw).code == "no_numeric"


def _train_and_slice(raw: bytes):
    _, table = T.parse(raw, "fruit.csv")
    problem = N.Problem(N.UPLOAD, (4,), table=table)
    run = optimizers.train_network(problem, "adam", N.initial(problem, 0), steps=20,
                                   hyperparams={"learning_rate": 0.05})
    s = landscapes.network_slice(problem=problem, directions="filter", theta=run.params[-1], path=run.params)
    return N.slice_grid(s, s.bounds, 5)


def test_nothing_is_written_to_disk(monkeypatch):
    """Parsing, training and slicing an upload opens no file for writing and leaves the temp directory as it was.

    A first file of the same shape compiles the programs (which JAX's persistent cache may write: they hold no
    data); the second, watched, file then runs without compiling anything and without writing anything."""
    _train_and_slice(T.example(seed=5))
    opened = []
    real_open = builtins.open

    def watching(file, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax+"):
            opened.append(file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching)
    monkeypatch.setattr(os, "open", lambda *a, **k: opened.append(a[0]) or (_ for _ in ()).throw(OSError("no")))
    before = set(os.listdir(tempfile.gettempdir()))
    with CompileCounter() as counter:
        _train_and_slice(T.example(seed=0))
    assert opened == [] and counter.compiles == 0
    assert set(os.listdir(tempfile.gettempdir())) == before


def test_a_good_csv_trains_slices_and_is_held_out():
    _, table = T.parse(T.example(90), "fruit.csv")
    problem = N.Problem(N.UPLOAD, (8,), table=table)
    assert problem.sizes == (3, 8, 2) and problem.name == "fruit.csv"
    data = N.dataset(problem)
    assert len(data.y) + len(data.y_test) == 90 and len(data.y_test) == 3 * round(0.25 * 30)
    np.testing.assert_allclose(data.X.mean(0), 0.0, atol=1e-12)  # standardised on the training rows
    run = optimizers.train_network(problem, "adam", N.initial(problem, 0), steps=300,
                                   hyperparams={"learning_rate": 0.05})
    assert run.loss[-1] < 0.3 * run.loss[0]
    assert N.accuracy(problem, run.params[-1], held_out=True) >= 0.8  # three blobs two σ apart
    s = landscapes.network_slice(problem=problem, directions="pca", theta=run.params[-1], path=run.params)
    xs, ys, z = N.slice_grid(s, s.bounds, 11)
    assert z[5, 5] == pytest.approx(N.value_and_grad(problem, run.params[-1])[0], rel=1e-12)
    assert np.all(np.isfinite(z))
    # same shape, different numbers: the compiled programs are shared, not rebuilt with the data inside
    _, other = T.parse(T.example(90, seed=1), "fruit2.csv")
    before = train._train._cache_size()
    optimizers.train_network(N.Problem(N.UPLOAD, (8,), table=other), "adam", N.initial(problem, 0), steps=300,
                             hyperparams={"learning_rate": 0.05})
    assert train._train._cache_size() == before
