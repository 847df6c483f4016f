"""TensorFlow, JAX and PyTorch proven equal, each backend in its own environment.

Every job runs in the Python of the backend's environment (`.venv`,
`.venv-jax`, `.venv-torch`; `make install BACKEND=...` builds them) through
`tests/article/backend_worker.py`. Without those environments the tests skip, saying
which one is missing; where the `CI` environment variable is set they fail.
"""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("backend_worker.py")
ENVIRONMENTS = {"tensorflow": ".venv", "jax": ".venv-jax", "torch": ".venv-torch"}
# Same weights, same batches, float32 on every backend: the backends' kernels may
# add in another order, so results agree to rounding, not bit for bit.
TOLERANCE = 1e-5

pytestmark = pytest.mark.slow


def pythons():
    """The Python of each backend's environment; skips (fails on CI) if one is missing."""
    found = {backend: ROOT / folder / "bin" / "python" for backend, folder in ENVIRONMENTS.items()}
    missing = [backend for backend, python in found.items() if not python.is_file()]
    if missing:
        message = "missing backend environments: " + ", ".join(
            f"{ENVIRONMENTS[backend]}/ (make install BACKEND={backend})" for backend in missing
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def run_jobs(jobs):
    """Runs `{backend: (python, *args)}` in parallel; returns `{backend: stdout}`."""
    processes = {
        backend: subprocess.Popen(
            [str(python), *map(str, args)],
            env={**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for backend, (python, *args) in jobs.items()
    }
    outputs = {}
    try:
        for backend, process in processes.items():
            stdout, stderr = process.communicate(timeout=900)
            assert process.returncode == 0, f"{backend}: {stderr[-3000:]}"
            outputs[backend] = stdout
    finally:
        for process in processes.values():
            process.kill()
            process.communicate()
    return outputs


def run_worker(jobs):
    """Runs `backend_worker.py` jobs; returns `{backend: its JSON report}`, checked."""
    outputs = run_jobs(
        {backend: (python, WORKER, *args) for backend, (python, *args) in jobs.items()}
    )
    reports = {backend: json.loads(stdout.splitlines()[-1]) for backend, stdout in outputs.items()}
    assert all(report["backend"] == backend for backend, report in reports.items())
    return reports


def initial_weights(path):
    """Saves the article recipe's initial weights, as this process's backend draws them."""
    from iris_keras.recipes import build_for, get_recipe, split_for
    from iris_keras.seeding import set_seed

    recipe = get_recipe("article")
    set_seed(recipe.seed)
    (x_fit, _), _, _ = split_for(recipe)
    np.savez(path, *build_for(recipe, x_fit).get_weights())


def test_same_weights_and_batches_train_alike_on_every_backend(tmp_path):
    found = pythons()
    initial_weights(tmp_path / "initial.npz")
    reports = run_worker(
        {
            backend: (python, "fit", tmp_path / "initial.npz", tmp_path / f"{backend}.npz")
            for backend, python in found.items()
        }
    )
    for backend in ("jax", "torch"):
        assert "tensorflow" not in reports[backend]["imported"]
    results = {backend: dict(np.load(tmp_path / f"{backend}.npz")) for backend in found}
    reference = results["tensorflow"]
    for backend, result in results.items():
        assert len(result["loss"]) == len(result["val_loss"]) == 100
        for key, value in result.items():
            # Each backend's Keras against TensorFlow's, losses and final weights alike.
            np.testing.assert_allclose(
                value, reference[key], rtol=0, atol=TOLERANCE, err_msg=f"{backend}: {key}"
            )
        for index in range(6):
            # The from-scratch loop, following this backend's loss rule, ends where Keras ends.
            np.testing.assert_allclose(
                result[f"scratch_{index}"],
                result[f"keras_{index}"],
                rtol=0,
                atol=TOLERANCE,
                err_msg=f"{backend}: weight {index}",
            )


def test_a_model_saved_on_any_backend_predicts_the_same_on_every_other(tmp_path):
    from iris_keras.datasets import iris

    found = pythons()
    cli = "import sys; from iris_keras.app.cli import run; sys.argv[0] = 'iris-keras'; run()"
    train = ["-c", cli, "train", "--epochs", "3", "--quiet", "--device", "cpu", "--output"]
    run_jobs({backend: (python, *train, tmp_path / backend) for backend, python in found.items()})
    for backend in found:
        metrics = json.loads((tmp_path / backend / "metrics.json").read_text())
        assert metrics["backend"] == backend and metrics["reload_matches"]
    _, (x_test, _) = iris.load_data()
    np.save(tmp_path / "x_test.npy", x_test)
    models = [tmp_path / backend / "model.keras" for backend in found]
    for backend in found:
        (tmp_path / f"loaded-on-{backend}").mkdir()
    reports = run_worker(
        {
            backend: (
                python,
                "predict",
                tmp_path / "x_test.npy",
                tmp_path / f"loaded-on-{backend}",
                *models,
            )
            for backend, python in found.items()
        }
    )
    assert all("iris_keras" not in report["imported"] for report in reports.values())
    for saved_on in found:
        own = np.load(tmp_path / f"loaded-on-{saved_on}" / f"{saved_on}.npy")
        assert own.shape == (len(x_test), 1)
        for loaded_on in found:
            theirs = np.load(tmp_path / f"loaded-on-{loaded_on}" / f"{saved_on}.npy")
            np.testing.assert_allclose(
                theirs, own, rtol=0, atol=TOLERANCE, err_msg=f"{saved_on} -> {loaded_on}"
            )
