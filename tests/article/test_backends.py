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
# The command trains 2 epochs: its run has the folder of the article recipe with 2 epochs.
EPOCHS = 2
RUN = f"article-epochs{EPOCHS}"

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


def run_jobs(jobs, *, cwd=ROOT, ours=False):
    """Runs `{backend: (program, *args)}` in parallel in `cwd`; returns `{backend: stdout}`.

    Each must exit 0. With `ours`, the jobs are `iris_keras`'s own (the
    command, the worker's jobs that import it first): they run with no
    `TF_CPP_MIN_LOG_LEVEL` set for them and must write nothing on stderr, no
    backend's start-up lines on any backend. Otherwise (plain Keras) the
    level is 3, as a user who wants TensorFlow quiet sets it.
    """
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    if ours:
        environment.pop("TF_CPP_MIN_LOG_LEVEL")
    processes = {
        backend: subprocess.Popen(
            [str(program), *map(str, args)],
            env={**environment, "KERAS_BACKEND": backend},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
        )
        for backend, (program, *args) in jobs.items()
    }
    outputs = {}
    try:
        for backend, process in processes.items():
            stdout, stderr = process.communicate(timeout=900)
            assert process.returncode == 0, f"{backend}: {stderr[-3000:]}"
            assert stderr == "" or not ours, f"{backend} wrote on stderr: {stderr[-3000:]}"
            outputs[backend] = stdout
    finally:
        for process in processes.values():
            process.kill()
            process.communicate()
    return outputs


def run_worker(jobs, *, ours=False):
    """Runs `backend_worker.py` jobs; returns `{backend: its JSON report}`, checked."""
    outputs = run_jobs(
        {backend: (python, WORKER, *args) for backend, (python, *args) in jobs.items()}, ours=ours
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
        },
        ours=True,
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


@pytest.fixture(scope="module")
def trained_by_the_command(tmp_path_factory):
    """`iris-keras train --epochs 2` in each backend's environment, in one folder.

    As `make train`, then `make train BACKEND=jax` and `BACKEND=torch` run
    it: the console script of each environment, its default output folder,
    its real training settings. TensorFlow's run comes first, and its files
    (bytes and modification times) are recorded before and after the others.

    Returns:
        `(folder, {backend: what its command printed}, TensorFlow's files
        before, TensorFlow's files after)`.
    """
    found = pythons()
    folder = tmp_path_factory.mktemp("make-train")
    commands = {
        backend: (python.with_name("iris-keras"), "train", "--epochs", EPOCHS)
        for backend, python in found.items()
    }
    printed = run_jobs({"tensorflow": commands.pop("tensorflow")}, cwd=folder, ours=True)
    before = files_of(folder / "runs" / "tensorflow")
    printed |= run_jobs(commands, cwd=folder, ours=True)
    return folder, printed, before, files_of(folder / "runs" / "tensorflow")


def files_of(folder):
    """`{path: (bytes, modification time in ns)}` of every file under `folder`."""
    return {
        path.relative_to(folder): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_no_backends_run_replaces_anothers(trained_by_the_command):
    folder, printed, before, after = trained_by_the_command
    assert {"model.keras", "metrics.json", "history.csv"} <= {path.name for path in before}
    assert after == before  # every file of TensorFlow's run, byte for byte, and its time
    for backend, output in printed.items():
        assert f"artifacts       runs/{backend}/{RUN}/\n" in output
        metrics = json.loads((folder / "runs" / backend / RUN / "metrics.json").read_text())
        assert metrics["backend"] == backend and metrics["reload_matches"]


def test_a_model_trained_on_any_backend_predicts_and_evaluates_alike_on_every_backend(
    trained_by_the_command, tmp_path
):
    """All 9 (trained on, loaded on) pairs, with plain Keras, then with `iris-keras evaluate`.

    Loaded on another backend, a model computes the same float32 operations
    on the same weights; the backends' kernels may round or add in another
    order, so the outputs agree to rounding, not bit for bit: within 1e-5,
    a hundred times the differences the backends show (about 1e-7), and far
    below any probability that could change a predicted class here.
    """
    from iris_keras.datasets import iris

    folder, _, _, _ = trained_by_the_command
    found = pythons()
    _, (x_test, y_test) = iris.load_data()
    np.savez(tmp_path / "test.npz", x=x_test, y=y_test)  # the article recipe's test split
    models = [folder / "runs" / backend / RUN / "model.keras" for backend in found]
    for backend in found:
        (tmp_path / f"loaded-on-{backend}").mkdir()
    test_data = tmp_path / "test.npz"
    reports = run_worker(
        {
            backend: (python, "load", test_data, tmp_path / f"loaded-on-{backend}", *models)
            for backend, python in found.items()
        }
    )
    assert all("iris_keras" not in report["imported"] for report in reports.values())
    for trained_on in found:
        own = np.load(tmp_path / f"loaded-on-{trained_on}" / f"{trained_on}.npy")
        own_scores = reports[trained_on]["keras_scores"][trained_on]
        assert own.shape == (len(x_test), 1)
        for loaded_on, report in reports.items():
            pair = f"trained on {trained_on}, loaded on {loaded_on}"
            theirs = np.load(tmp_path / f"loaded-on-{loaded_on}" / f"{trained_on}.npy")
            np.testing.assert_allclose(theirs, own, rtol=0, atol=TOLERANCE, err_msg=pair)
            scores = report["keras_scores"][trained_on]
            assert scores["accuracy"] == own_scores["accuracy"], pair
            assert scores["loss"] == pytest.approx(own_scores["loss"], abs=TOLERANCE), pair
            assert_command_evaluates(report["cli"][trained_on], scores, pair)


def assert_command_evaluates(cli, scores, pair):
    """`iris-keras evaluate` exited 0 and printed the scores plain Keras gave, to its 4 decimals."""
    assert cli["status"] == 0, pair
    printed = dict(line.split(maxsplit=2)[1:] for line in cli["printed"].splitlines()[1:3])
    assert printed["accuracy"] == f"{scores['accuracy']:.4f}", pair
    assert float(printed["loss"]) == pytest.approx(scores["loss"], abs=1e-4), pair
