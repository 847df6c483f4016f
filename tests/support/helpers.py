"""Helpers the tests share: commands in fresh processes, a lock held by another process."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

FEW_EPOCHS = 3


def shared(scope):
    """The scope of a fixture shared by many tests: `scope`, except while `make mutate` maps.

    mutmut first runs the tests once to learn which test reaches which
    function (it sets `MUTANT_UNDER_TEST=stats`), and then tests each mutant
    with those tests alone. A shared fixture's work would count for the first
    test that used it only, so while mapping, each test makes its own.
    """

    def choose(fixture_name, config):
        return "function" if os.environ.get("MUTANT_UNDER_TEST") == "stats" else scope

    return choose


def cli_command(*args):
    """The command line that runs `iris-keras ARGS` in a fresh Python process."""
    return [sys.executable, "-m", "iris_keras", *map(str, args)]


def train_arguments(output, *extra, recipe="multiclass", epochs, seed):
    """The arguments of a quiet CPU `iris-keras train` into `output`, as strings."""
    arguments = ["train", "--recipe", recipe, "--epochs", epochs, "--seed", seed]
    arguments += ["--output", output, "--quiet", "--device", "cpu", *extra]
    return [str(argument) for argument in arguments]


def train_command(output, *extra, recipe="multiclass", epochs, seed):
    """The command line of a quiet CPU `iris-keras train` into `output`, in a fresh process."""
    return cli_command(*train_arguments(output, *extra, recipe=recipe, epochs=epochs, seed=seed))


PLAIN_KERAS_SCRIPT = (
    "import sys, numpy as np, keras\n"
    "model = keras.models.load_model(sys.argv[1])\n"
    "np.save(sys.argv[3], model.predict(np.load(sys.argv[2]), verbose=0))\n"
    "assert not any(name.startswith('iris_keras') for name in sys.modules)\n"
)


def predict_in_plain_keras(model_path, x, folder):
    """What `model_path` predicts for `x` in a fresh Python that loads Keras and nothing of ours."""
    import numpy as np

    np.save(Path(folder) / "x.npy", x)
    paths = [model_path, Path(folder) / "x.npy", Path(folder) / "p.npy"]
    result = subprocess.run(
        [sys.executable, "-c", PLAIN_KERAS_SCRIPT, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return np.load(Path(folder) / "p.npy")


HOLDER_SCRIPT = """
import sys
from iris_keras.common.folder_lock import hold
with hold(sys.argv[1], command="a holder in a test"):
    print("held", flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def held_by_another_process(folder, script=HOLDER_SCRIPT):
    """Runs `script` (argument: `folder`) in a child process for the `with` block.

    Handshake, no sleep: the child prints `held` once it holds the lock and
    keeps it until its standard input closes. Yields the `Popen`.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline() == "held\n"
        yield child
    finally:
        child.stdin.close()
        child.wait(timeout=60)
        child.stdout.close()


def folder_snapshot(folder):
    """Every file under `folder` with its bytes and modification time, to prove nothing changed."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }
