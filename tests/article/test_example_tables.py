"""The two example tables: scikit-learn's wine and breast cancer, written as a learner's CSV."""

import pytest

from iris_keras.datasets import examples, table
from iris_keras.errors import UsageError


@pytest.mark.parametrize(
    "name, rows, features, classes",
    [
        pytest.param("wine", 178, 13, ("class_0", "class_1", "class_2"), id="wine"),
        pytest.param("breast_cancer", 569, 30, ("benign", "malignant"), id="breast-cancer"),
    ],
)
def test_an_example_table_reads_back_as_a_learners_file(name, rows, features, classes, tmp_path):
    target = examples.EXAMPLES[name][1]
    path = examples.write_csv(name, tmp_path / f"{name}.csv")
    found = table.read_table(path, target=target)
    assert found.data.shape == (rows, features) and found.target_names == classes
    assert found.feature_names == tuple(examples.load_frame(name).columns[:-1])


def test_the_command_writes_its_table_into_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert examples.main(["wine"]) == 0
    assert (
        capsys.readouterr().out == "wrote wine.csv: 178 rows, 13 measurements, column 'cultivar'\n"
    )
    assert (tmp_path / "wine.csv").read_text(encoding="utf-8").startswith("alcohol,malic_acid,")
    assert examples.main(["iris"]) == 2
    assert capsys.readouterr().err.startswith("usage: python -m iris_keras.datasets.examples wine")
    with pytest.raises(UsageError, match="name='iris'"):
        examples.load_frame("iris")
