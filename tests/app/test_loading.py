"""Safe loading: a model file cannot run code it carries; bad files get one line."""

import hashlib
import json
import zipfile

import keras
import pytest

from iris_keras.app.loading import check_model_matches_metrics, load_trained_model
from iris_keras.errors import IrisKerasError


@pytest.fixture
def lambda_model(tmp_path):
    """A .keras file whose Lambda layer creates a marker file whenever it runs."""
    marker = tmp_path / "code-ran"
    side_effect = eval(  # builds a lambda whose code names the marker path literally
        f"lambda x: (__import__('pathlib').Path({str(marker)!r}).touch(), x)[1]"
    )
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(side_effect)])
    path = tmp_path / "evil.keras"
    model.save(path)
    marker.unlink()  # building the model ran it once
    return path, marker


def test_lambda_layer_is_refused_and_its_code_never_runs(lambda_model):
    path, marker = lambda_model
    with pytest.raises(IrisKerasError, match=r"Lambda layer.*refused by safe mode") as error:
        load_trained_model(path)
    assert "\n" not in str(error.value)
    assert not marker.exists()


def test_unsafe_loading_would_have_run_it(lambda_model):
    """The control: without safe mode, loading this file runs its code."""
    path, marker = lambda_model
    keras.models.load_model(path, safe_mode=False)
    assert marker.exists()


@pytest.mark.parametrize(
    "make, match",
    [
        pytest.param(lambda p: None, "no such file exists", id="missing"),
        pytest.param(lambda p: p.mkdir(), "got a folder", id="folder"),
        pytest.param(lambda p: p.write_bytes(b""), "a .keras archive", id="empty"),
        pytest.param(lambda p: p.write_text("hello"), "a .keras archive", id="text"),
        pytest.param(
            lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 40),
            "a .keras archive",
            id="zip-header-only",
        ),
    ],
)
def test_bad_model_files(tmp_path, make, match):
    path = tmp_path / "model.keras"
    make(path)
    with pytest.raises(IrisKerasError, match=match) as error:
        load_trained_model(path)
    assert "\n" not in str(error.value)


def test_truncated_model_file(article_run, tmp_path):
    _, output_dir = article_run
    data = (output_dir / "model.keras").read_bytes()
    path = tmp_path / "model.keras"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IrisKerasError, match=r"a \.keras archive"):
        load_trained_model(path)


def test_zip_that_is_not_a_keras_model(tmp_path):
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a model")
    with pytest.raises(IrisKerasError, match="not a loadable Keras model") as error:
        load_trained_model(path)
    assert "\n" not in str(error.value)


def test_wrong_suffix(tmp_path):
    path = tmp_path / "model.h5"
    path.write_bytes(b"")
    with pytest.raises(IrisKerasError, match=r"model\.h5.*a .keras archive"):
        load_trained_model(path)


def test_real_model_loads(article_run):
    _, output_dir = article_run
    assert load_trained_model(output_dir / "model.keras").name == "iris_binary_virginica"


MODEL_BYTES = b"stand-in for a model archive"
DIGEST = hashlib.sha256(MODEL_BYTES).hexdigest()


@pytest.mark.parametrize(
    "metrics, expected",
    [
        pytest.param(None, None, id="no-metrics-json"),
        pytest.param({"test_accuracy": 0.9}, None, id="metrics-without-hashes"),
        pytest.param("not json", None, id="metrics-not-json"),
        pytest.param({"sha256": {"model.keras": DIGEST}}, DIGEST, id="matching"),
    ],
)
def test_model_and_metrics_that_may_sit_together(tmp_path, metrics, expected):
    (tmp_path / "model.keras").write_bytes(MODEL_BYTES)
    if metrics is not None:
        text = metrics if isinstance(metrics, str) else json.dumps(metrics)
        (tmp_path / "metrics.json").write_text(text)
    assert check_model_matches_metrics(tmp_path / "model.keras") == expected


def test_a_model_of_another_run_is_refused(tmp_path):
    (tmp_path / "model.keras").write_bytes(MODEL_BYTES)
    other = hashlib.sha256(b"another run's model").hexdigest()
    (tmp_path / "metrics.json").write_text(json.dumps({"sha256": {"model.keras": other}}))
    path = tmp_path / "model.keras"
    with pytest.raises(IrisKerasError) as error:
        check_model_matches_metrics(path)
    assert str(error.value) == (
        f"Received model='{path}', which is not the model {tmp_path / 'metrics.json'} describes "
        f"(SHA-256 {DIGEST[:12]}…, recorded {other[:12]}…): the two files come from different "
        "runs, or a run is still writing the folder. Retrain into this folder, or pass the "
        "model.keras that came with this metrics.json."
    )


def test_wrong_suffix_message_shows_an_example(tmp_path):
    path = tmp_path / "model.h5"
    path.write_bytes(b"")
    with pytest.raises(IrisKerasError) as error:
        load_trained_model(path)
    assert str(error.value) == (
        f"Received model='{path}', expected a Keras model saved as a .keras archive "
        "(e.g. runs/tensorflow/article/model.keras)."
    )


def test_the_exact_lambda_refusal(lambda_model):
    path, _ = lambda_model
    with pytest.raises(IrisKerasError) as error:
        load_trained_model(path)
    assert str(error.value) == (
        f"Received model='{path}', which is not a loadable Keras model: "
        "it holds a Lambda layer (arbitrary Python code), refused by safe mode"
    )


SAFE_MODE_REFUSAL = "it holds a Lambda layer (arbitrary Python code), refused by safe mode"


@pytest.mark.parametrize(
    "keras_message, reason",
    [
        pytest.param("Could not deserialize a `Lambda` layer", SAFE_MODE_REFUSAL, id="lambda"),
        pytest.param("Pass safe_mode=False to load this", SAFE_MODE_REFUSAL, id="safe-mode"),
        pytest.param(
            "bad\n  archive:\tmissing  config.json",
            "bad archive: missing config.json",
            id="multi-line-on-one-line",
        ),
        pytest.param("x" * 1000, "x" * 300, id="long-cut-at-300"),
    ],
)
def test_what_keras_says_is_one_short_line(tmp_path, monkeypatch, keras_message, reason):
    """Keras's own error, whatever its form, becomes one line of at most 300 characters."""
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{}")

    def refuse(*args, **kwargs):
        raise ValueError(keras_message)

    monkeypatch.setattr(keras.models, "load_model", refuse)
    with pytest.raises(IrisKerasError) as error:
        load_trained_model(path)
    assert str(error.value) == (
        f"Received model='{path}', which is not a loadable Keras model: {reason}"
    )


def test_a_broken_archive_is_not_called_a_lambda_layer(tmp_path):
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a model")
    with pytest.raises(IrisKerasError) as error:
        load_trained_model(path)
    assert "Lambda" not in str(error.value)
    assert "safe mode" not in str(error.value)
