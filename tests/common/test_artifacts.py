import json

import pytest

from iris_keras.common import artifacts
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


def test_csv_has_the_frames_columns_and_no_index(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"loss": [0.5, 0.25], "accuracy": [0.75, 1.0]}, index=[7, 8])
    artifacts.write_csv(tmp_path / "history.csv", frame)
    assert (tmp_path / "history.csv").read_text() == "loss,accuracy\n0.5,0.75\n0.25,1.0\n"


def _keras_file(path, optimizer_module, **compile_options):
    import zipfile

    config = {
        "class_name": "Sequential",
        "compile_config": {
            "optimizer": {"module": optimizer_module, "class_name": "SGD"},
            **compile_options,
        },
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", '{"keras_version": "3"}')
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", b"\x89HDF weights")


@pytest.mark.parametrize("backend", ["torch", "jax", "tensorflow"])
def test_a_backends_private_optimizer_module_is_saved_as_the_public_one(tmp_path, backend):
    import zipfile

    path = tmp_path / "model.keras"
    _keras_file(path, f"keras.src.backend.{backend}.optimizers.{backend}_sgd")
    artifacts._make_portable(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        assert config["compile_config"]["optimizer"] == {
            "module": "keras.optimizers",
            "class_name": "SGD",
        }
        assert archive.read("model.weights.h5") == b"\x89HDF weights"
        assert archive.read("metadata.json") == b'{"keras_version": "3"}'


@pytest.mark.parametrize(
    "speed, portable",
    [
        pytest.param({"steps_per_execution": 4, "jit_compile": False}, True, id="tensorflow"),
        pytest.param({"steps_per_execution": 4, "jit_compile": True}, True, id="jax"),
        pytest.param({"steps_per_execution": 1, "jit_compile": "auto"}, False, id="defaults"),
    ],
)
def test_the_training_runs_speed_settings_are_saved_as_keras_defaults(tmp_path, speed, portable):
    """PyTorch refuses `steps_per_execution` > 1, and would meet XLA's `jit_compile=True`
    with `torch.compile`: the file leaves both to the backend that loads it."""
    import zipfile

    path = tmp_path / "model.keras"
    _keras_file(path, "keras.optimizers", **speed)
    before = path.read_bytes()
    artifacts._make_portable(path)
    with zipfile.ZipFile(path) as archive:
        compile_config = json.loads(archive.read("config.json"))["compile_config"]
        assert archive.read("model.weights.h5") == b"\x89HDF weights"
    assert compile_config["steps_per_execution"] == 1
    assert compile_config["jit_compile"] == "auto"
    assert (path.read_bytes() != before) is portable


def test_a_public_optimizer_module_is_left_as_it_is(tmp_path):
    path = tmp_path / "model.keras"
    _keras_file(path, "keras.optimizers")
    before = path.read_bytes()
    artifacts._make_portable(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "optimizer",
    [{"class_name": "SGD", "config": {}}, "sgd"],
    ids=["no-module", "a-name"],
)
def test_an_optimizer_config_without_a_module_is_left_as_it_is(tmp_path, optimizer):
    import zipfile

    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps({"compile_config": {"optimizer": optimizer}}))
    before = path.read_bytes()
    artifacts._make_portable(path)
    assert path.read_bytes() == before


def test_figures_are_saved_as_png_at_120_dpi(tmp_path):
    from matplotlib.figure import Figure
    from PIL import Image

    figure = Figure(figsize=(2, 1))
    figure.subplots().plot([0, 1], [1, 0])
    artifacts.save_figure(tmp_path / "curve.png", figure)
    with Image.open(tmp_path / "curve.png") as image:
        assert image.format == "PNG"
        assert [round(value) for value in image.info["dpi"]] == [120, 120]


def test_a_folder_that_cannot_be_written_is_refused_before_training(tmp_path, monkeypatch):
    import tempfile

    tried = []

    def read_only(dir=None):  # what TemporaryFile raises in a folder mounted read-only
        tried.append(dir)
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    with pytest.raises(IrisKerasError) as error:
        artifacts.prepare_output_dir(tmp_path / "runs")
    assert tried == [tmp_path / "runs"]  # the write is tried in the folder itself
    assert str(error.value) == (
        "Received an invalid value for `output`, expected a folder that can be created and "
        f"written. Received: output='{tmp_path / 'runs'}' (Read-only file system)."
    )
