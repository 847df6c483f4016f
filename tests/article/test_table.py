"""A learner's own table: every file of the corpus refused in one line, or loaded as iris is."""

from pathlib import Path

import numpy as np
import pytest

from iris_keras.datasets import table
from iris_keras.errors import UsageError

TABLES = Path(__file__).parents[1] / "support" / "tables"

# Each malformed file of tests/support/tables/, and what its one line must say.
REFUSED = [
    pytest.param("missing-target.csv", "no column 'class'", id="missing-target"),
    pytest.param("one-class.csv", "the target 'class' holds one class, 'a'", id="one-class"),
    pytest.param("class-of-one-row.csv", "class 'd' has 1 row in the file", id="class-of-one"),
    pytest.param("too-few-rows.csv", "4 rows in the file for 2 classes", id="too-few-rows"),
    pytest.param(
        "non-numeric-feature.csv",
        "'red' is not a number (row 6, column 'width')",
        id="non-numeric",
    ),
    pytest.param("empty-cell.csv", "an empty cell (row 4, column 'width')", id="empty-cell"),
    pytest.param("na-marker.csv", "a missing value, 'NA' (row 9, column 'width')", id="na"),
    pytest.param("missing-class.csv", "an empty cell (row 10, column 'class')", id="no-class"),
    pytest.param(
        "not-finite.csv", "'inf' is not a finite number (row 5, column 'length')", id="inf"
    ),
    pytest.param(
        "beyond-float32.csv",
        "'1e39' is beyond float32's range (row 7, column 'length')",
        id="beyond-float32",
    ),
    pytest.param(
        "decimal-comma.csv", "'1,5' is not a number (row 4, column 'length')", id="decimal-comma"
    ),
    pytest.param("row-too-long.csv", "4 cells where the header has 3 (row 8)", id="row-too-long"),
    pytest.param(
        "row-too-short.csv", "2 cells where the header has 3 (row 11)", id="row-too-short"
    ),
    pytest.param("empty.csv", "the file is empty", id="empty"),
    pytest.param("header-only.csv", "a header but no rows", id="header-only"),
    pytest.param("duplicate-column.csv", "two columns named 'length' (row 1)", id="duplicate"),
    pytest.param("unnamed-column.csv", "column 2 has no name (row 1)", id="unnamed"),
    pytest.param("unclosed-quote.csv", "a quote that never closes (row 6)", id="open-quote"),
    pytest.param("semicolons.csv", "accepted separators are commas and tabs", id="semicolons"),
    pytest.param("only-target.csv", "only the target column 'class'", id="only-target"),
    pytest.param("workbook.xlsx", "a zip archive (an Excel .xlsx", id="xlsx"),
    pytest.param("old-workbook.xls", "an old Excel .xls or WPS workbook", id="xls"),
    pytest.param("binary.csv", "binary data (a NUL byte), not text", id="binary"),
    pytest.param(
        "neither-utf8-nor-gb18030.csv",
        "bytes that are not UTF-8 nor GB18030 text (row 20)",
        id="undecodable",
    ),
]
REFUSED_FILES = [param.values[0] for param in REFUSED]

# Each file of the corpus that must load: (file, target, features, classes).
ACCEPTED = [
    pytest.param(
        "chinese-gb18030.csv",
        "品种",
        ("花萼长度", "花萼宽度", "花瓣长度"),
        ("变色鸢尾", "山鸢尾", "维吉尼亚鸢尾"),
        id="chinese-gb18030",
    ),
    pytest.param("utf8-bom.csv", "class", ("length", "width"), ("a", "b", "c"), id="utf8-bom"),
    pytest.param("tabs.tsv", "class", ("length", "width"), ("a", "b", "c"), id="tsv"),
    pytest.param(
        "excel-unicode-text.txt", "class", ("length", "width"), ("a", "b", "c"), id="utf16"
    ),
    pytest.param("blank-rows.csv", "class", ("length", "width"), ("a", "b", "c"), id="blank"),
    pytest.param(
        "numbered-classes.csv", "class", ("length", "width"), ("1", "2", "10"), id="numbers"
    ),
]


@pytest.mark.parametrize("name, message", REFUSED)
def test_a_malformed_file_is_refused_in_one_line(name, message):
    path = TABLES / name
    with pytest.raises(UsageError) as refused:
        table.load_data(path, target="class")
    text = str(refused.value)
    assert text.startswith(f"Received data={str(path)!r}: ")
    assert message in text and "; expected " in text
    assert "\n" not in text


def test_the_corpus_is_every_file_in_its_folder():
    on_disk = {path.name for path in TABLES.iterdir() if not path.name.startswith(".")}
    named = set(REFUSED_FILES) | {param.values[0] for param in ACCEPTED}
    assert on_disk == named
    assert len(REFUSED_FILES) >= 15


@pytest.mark.parametrize("name, target, features, classes", ACCEPTED)
def test_a_good_file_loads_in_any_accepted_encoding(name, target, features, classes):
    data = table.load_data(TABLES / name, target=target)
    (x_train, y_train), (x_test, y_test) = data
    assert (data.feature_names, data.class_names, data.target) == (features, classes, target)
    assert x_train.dtype == np.float32 and x_train.shape[1] == len(features)
    assert y_train.shape == (len(x_train), 3) and y_test.shape == (len(x_test), 3)
    assert len(x_train) + len(x_test) == 18
    assert sorted(y_test.sum(axis=0).tolist()) == [1, 1, 2]  # 4 test rows, stratified


def test_the_same_rows_load_alike_from_every_encoding():
    loaded = [
        table.read_table(TABLES / name, target="class")
        for name in ("utf8-bom.csv", "tabs.tsv", "excel-unicode-text.txt", "blank-rows.csv")
    ]
    for other in loaded[1:]:
        np.testing.assert_array_equal(other.data, loaded[0].data)
        np.testing.assert_array_equal(other.target, loaded[0].target)


def test_rows_are_numbered_as_a_spreadsheet_numbers_them(tmp_path):
    """The header is row 1; a blank row and a cell over two lines still count as one row each."""
    path = tmp_path / "notes.csv"
    path.write_text('x,note,y\n1,"two\nlines",a\n\n2,ok,b\n3,x,b\n4,,a\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"'two\\nlines' is not a number \(row 2, column 'note'\)"):
        table.read_table(path, target="y")
    path.write_text('x,y\n1,a\n"2",a\n\n,b\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"an empty cell \(row 5, column 'x'\)"):
        table.read_table(path, target="y")


def test_a_misspelt_target_is_named_with_the_column_meant():
    with pytest.raises(UsageError, match=r"no column 'Class'.*\(did you mean 'class'\?\)"):
        table.load_data(TABLES / "tabs.tsv", target="Class")


@pytest.mark.parametrize(
    "path, problem",
    [
        pytest.param("nowhere.csv", "no such file", id="missing"),
        pytest.param(".", "a folder", id="folder"),
    ],
)
def test_a_path_that_is_no_file(path, problem, tmp_path):
    with pytest.raises(UsageError, match=f": {problem}; expected a file of CSV or TSV"):
        table.load_data(tmp_path / path, target="class")


def test_the_split_is_stratified_and_follows_the_seed():
    path = TABLES / "utf8-bom.csv"
    (a, _), _ = table.load_data(path, target="class", seed=7)
    (b, _), _ = table.load_data(path, target="class", seed=7)
    (c, _), _ = table.load_data(path, target="class", seed=8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    (_, y_train), (_, y_test) = table.load_data(path, target="class", test_size=0.5)
    assert y_train.sum(axis=0).tolist() == y_test.sum(axis=0).tolist() == [3, 3, 3]


def test_labels_follow_the_data_or_the_positive_class(tmp_path):
    three = TABLES / "tabs.tsv"
    (_, y_train), _ = data = table.load_data(three, target="class", positive_class="b")
    assert data.class_names == ("not b", "b") and y_train.dtype == np.float32
    everything = table.read_table(three, target="class")
    (x_train, y_train), _ = table.load_data(three, target="class", positive_class="b")
    rows = {
        row.tobytes(): label for row, label in zip(everything.data, everything.target, strict=True)
    }
    assert [rows[row.tobytes()] == 1 for row in x_train] == (y_train == 1).tolist()
    two = tmp_path / "two.csv"
    two.write_text("x,y\n" + "".join(f"{i},{'yes' if i % 2 else 'no'}\n" for i in range(20)))
    (_, y_train), _ = data = table.load_data(two, target="y")
    assert data.class_names == ("no", "yes") and y_train.shape == (16,)
    assert table.load_data(two, target="y", positive_class="no").class_names == ("yes", "no")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"positive_class": "z"}, "positive_class='z'", id="positive-class"),
        pytest.param({"test_size": 1.5}, r"`test_size`.*\(0, 1\)", id="test-size"),
        pytest.param({"seed": -1}, "seed=-1", id="seed"),
    ],
)
def test_bad_options(kwargs, match):
    with pytest.raises(UsageError, match=match):
        table.load_data(TABLES / "tabs.tsv", target="class", **kwargs)


def test_a_validation_split_too_small_is_refused_in_the_files_words():
    strata = np.asarray([0] * 5 + [1] * 1)
    with pytest.raises(UsageError, match="class 'b' has 1 row in the training split"):
        table.check_split("t.csv", strata, ("a", "b"), test_size=0.2, split="validation")
    with pytest.raises(UsageError, match=r"at least 11 rows.*validation_size=0.2"):
        table.check_split("t.csv", [0, 0, 1, 1, 2, 2], "abc", test_size=0.2, split="validation")


@pytest.mark.parametrize("rows", [4, 5, 6, 9, 10, 11, 12])
@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("test_size", [0.2, 0.5])
def test_check_split_refuses_exactly_what_scikit_learn_cannot_split(rows, classes, test_size):
    from sklearn.model_selection import train_test_split

    strata = np.arange(rows) % classes
    try:
        train_test_split(strata, test_size=test_size, random_state=0, stratify=strata)
    except ValueError:
        with pytest.raises(UsageError):
            table.check_split("t.csv", strata, "abc"[:classes], test_size=test_size)
    else:
        table.check_split("t.csv", strata, "abc"[:classes], test_size=test_size)


def test_a_hundred_thousand_rows_load(tmp_path):
    """A large table (generated here, not committed) loads; no clock is asserted."""
    rng = np.random.default_rng(0)
    features = rng.normal(size=(100_000, 6)).round(4)
    labels = np.where(features[:, 0] > 0, "high", "low")
    path = tmp_path / "large.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("a,b,c,d,e,f,level\n")
        for row, label in zip(features.tolist(), labels, strict=True):
            handle.write(",".join(map(str, row)) + f",{label}\n")
    (x_train, y_train), (x_test, _) = table.load_data(path, target="level")
    assert x_train.shape == (80_000, 6) and x_test.shape == (20_000, 6)
    np.testing.assert_allclose(
        np.sort(np.concatenate([x_train, x_test])[:, 0]), np.sort(features[:, 0]), rtol=1e-6
    )
    assert y_train.mean() == pytest.approx((labels == "low").mean(), abs=1e-4)
