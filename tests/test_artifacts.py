import json

import pytest

from iris_keras import artifacts
from iris_keras.errors import IrisKerasError


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "metrics.json"
    artifacts.write_json(path, {"a": 1})
    artifacts.write_json(path, {"a": 2})
    assert json.loads(path.read_text()) == {"a": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]


def test_failed_write_keeps_the_previous_file_and_no_temporary(tmp_path):
    path = tmp_path / "history.csv"
    artifacts.write_text(path, "good\n")
    with pytest.raises(RuntimeError), artifacts.atomic_path(path) as temporary:
        temporary.write_text("half")
        raise RuntimeError("killed mid-write")
    assert path.read_text() == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["history.csv"]


def test_temporary_keeps_the_suffix(tmp_path):
    with artifacts.atomic_path(tmp_path / "model.keras") as temporary:
        assert temporary.suffix == ".keras" and temporary.parent == tmp_path
        temporary.write_text("x")


def test_prepare_output_dir_creates_parents(tmp_path):
    assert artifacts.prepare_output_dir(tmp_path / "a" / "b").is_dir()


def test_output_that_is_a_file(tmp_path):
    file = tmp_path / "file"
    file.write_text("")
    with pytest.raises(
        IrisKerasError, match=r"expected a folder\. Received: output='.*file', which is a file"
    ):
        artifacts.prepare_output_dir(file)


def test_output_under_a_file(tmp_path):
    file = tmp_path / "file"
    file.write_text("")
    with pytest.raises(IrisKerasError, match="can be created and written"):
        artifacts.prepare_output_dir(file / "sub")


def test_artifacts_get_the_usual_permissions(tmp_path):
    import os

    path = tmp_path / "metrics.json"
    artifacts.write_json(path, {})
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
