"""The backend dispatch: which backend runs, and what each one needs."""

import importlib.util
import logging
import os

import keras
import pytest

from iris_keras import backend
from iris_keras.app.cli import main
from iris_keras.errors import IrisKerasError, UsageError


def test_name_is_the_backend_keras_runs_on():
    assert backend.name() == keras.backend.backend() in backend.BACKENDS


def test_versions_name_the_backends_own_packages():
    versions = backend.versions()
    assert tuple(versions) == backend.packages()
    assert all(version[0].isdigit() for version in versions.values())


@pytest.mark.parametrize(
    "name, jit, steps",
    [
        pytest.param("tensorflow", False, 4, id="tensorflow"),
        pytest.param("jax", True, 4, id="jax-xla"),
        pytest.param("torch", False, 1, id="torch-one-step-per-call"),
    ],
)
def test_compile_settings_per_backend(monkeypatch, name, jit, steps):
    monkeypatch.setattr(backend, "name", lambda: name)
    assert backend.jit_compile() is jit
    assert backend.steps_per_execution(4) == steps


def test_use_the_running_backend_sets_keras_backend(monkeypatch):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    assert backend.use(backend.name()) == backend.name()
    assert os.environ["KERAS_BACKEND"] == backend.name()  # for the processes it starts


def test_quiet_logger_hides_tensorflows_retracing_notices():
    if backend.name() != "tensorflow":  # nothing to quiet, and no TensorFlow here
        backend.quiet_logger()
        assert importlib.util.find_spec("tensorflow") is None
        return
    import tensorflow as tf

    tf.get_logger().setLevel(logging.WARNING)
    backend.quiet_logger()
    assert tf.get_logger().level == logging.ERROR


def test_use_an_unknown_backend_is_named():
    with pytest.raises(UsageError, match=r"expected one of 'tensorflow', .*backend='theano'"):
        backend.use("theano")


@pytest.mark.parametrize("other", [name for name in backend.BACKENDS if name != backend.name()])
def test_use_another_backend_once_keras_runs_is_refused(monkeypatch, other):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())  # "installed"
    with pytest.raises(IrisKerasError, match=f"already runs on {backend.name()}"):
        backend.use(other)


def test_use_a_backend_not_installed_here_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(UsageError, match=r"jax is not installed .*make \.\.\. BACKEND=jax"):
        backend.use("jax")


def test_study_backend_option_rejects_an_unknown_backend(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["study", "--backend", "cntk"])
    assert exit_info.value.code == 2
    assert "backend='cntk'" in capsys.readouterr().err


def test_a_run_records_and_prints_its_backend(article_run):
    from iris_keras.app.summary import training_summary

    metrics, _ = article_run
    assert metrics["backend"] == backend.name()
    assert set(backend.packages()) <= set(metrics["versions"])
    assert f"backend         {backend.name()} (Keras " in training_summary(metrics)


def test_hide_gpus_keeps_the_backends_work_on_the_cpu(monkeypatch):
    calls = []
    if backend.name() == "tensorflow":
        import tensorflow as tf

        monkeypatch.setattr(tf.config, "set_visible_devices", lambda *a: calls.append(a))
        backend.hide_gpus()
        assert calls == [([], "GPU")]
    elif backend.name() == "jax":
        import jax

        monkeypatch.setattr(jax.config, "update", lambda *a: calls.append(a))
        backend.hide_gpus()
        assert calls == [("jax_default_device", jax.devices("cpu")[0])]
    else:
        import contextlib

        monkeypatch.setattr(
            keras, "device", lambda name: calls.append(name) or contextlib.nullcontext()
        )
        backend.hide_gpus()
        assert calls == ["cpu"]


def test_gpu_names_are_the_backends_gpus_only(monkeypatch):
    """Each backend's GPUs, by name; its CPU never counts as one."""
    if backend.name() == "tensorflow":
        import tensorflow as tf

        class Device:
            name = "/physical_device:GPU:0"

        devices = {"GPU": [Device()], "CPU": ["cpu"]}
        monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind: devices[kind])
        monkeypatch.setattr(
            tf.config.experimental, "get_device_details", lambda gpu: {"device_name": "H100"}
        )
        assert backend.gpu_names() == ["H100"]
        devices["GPU"] = []
    elif backend.name() == "jax":
        import types

        import jax

        cpu = types.SimpleNamespace(platform="cpu", device_kind="cpu")
        gpu = types.SimpleNamespace(platform="gpu", device_kind="H100")
        monkeypatch.setattr(jax, "devices", lambda: [cpu, gpu])
        assert backend.gpu_names() == ["H100"]
        monkeypatch.setattr(jax, "devices", lambda: [cpu])
    else:
        import torch

        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
        monkeypatch.setattr(torch.cuda, "get_device_name", lambda index: f"H100 #{index}")
        assert backend.gpu_names() == ["H100 #0", "H100 #1"]
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert backend.gpu_names() == []


@pytest.mark.parametrize(
    "environment, file, expected",
    [
        pytest.param("jax", '{"backend": "torch"}', "jax", id="the-variable-first"),
        pytest.param(None, '{"backend": "torch"}', "torch", id="then-keras-json"),
        pytest.param(None, "not json", "tensorflow", id="a-broken-file-is-none"),
        pytest.param(None, None, "tensorflow", id="then-tensorflow"),
    ],
)
def test_configured_reads_what_keras_reads_without_importing_it(
    monkeypatch, tmp_path, environment, file, expected
):
    """The study's process names its workers' backend so, before any worker imports Keras."""
    import sys

    monkeypatch.delitem(sys.modules, "keras")  # as in a process that has not imported it
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    if environment is None:
        monkeypatch.delenv("KERAS_BACKEND", raising=False)
    else:
        monkeypatch.setenv("KERAS_BACKEND", environment)
    if file is not None:
        (tmp_path / "keras.json").write_text(file)
    assert backend.configured() == expected
