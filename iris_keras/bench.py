"""`make bench`: the article's `fit` against ours, side by side, in one process.

Times, with the article's hyperparameters (100 epochs, batch 32, SGD 0.01
with momentum 0.9, validation after every epoch) on the same data and
model:

- (a) the naive listing: NumPy arrays into `fit` with `validation_data`;
- (b) the project's training path, `iris_keras.train.fit_model`;
- (c) the from-scratch NumPy loop, `iris_keras.scratch` (when present);
- (d) scikit-learn's `MLPClassifier` with the same layers, SGD, learning
  rate, momentum, batch size and epochs;

plus two ablations of (b) that undo its changes one at a time, and the
whole-process wall time and peak memory of `iris-keras train` against a
script running (a). Each is repeated (default 3) and the median reported;
the repeats interleave the contenders so that machine noise hits them alike.
It prints a markdown table of seconds, ratio to (a) and test accuracy, and
rewrites the README block between `<!-- bench:start -->` and
`<!-- bench:end -->`.

Run: `python -m iris_keras.bench [--repeats 3] [--no-readme]`.
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from iris_keras.batches import steps_per_epoch
from iris_keras.datasets import iris

EPOCHS, BATCH_SIZE, LEARNING_RATE, MOMENTUM, SEED = 100, 32, 0.01, 0.9, 42
README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _fresh_model(x_train, *, steps_per_execution=1):
    from iris_keras.compile import compile_model
    from iris_keras.model import build_model
    from iris_keras.seeding import set_seed

    set_seed(SEED)
    return compile_model(build_model(x_train), steps_per_execution=steps_per_execution)


def naive_fit(data):
    """(a) The article's listing: arrays into `fit`, the test set as `validation_data`."""
    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train)
    started = time.perf_counter()
    model.fit(
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def project_fit(data):
    """(b) `fit_model` as `iris-keras train` runs it: one compiled call per epoch."""
    (x_train, _), _ = data
    return _fit_model_run(data, steps_per_epoch(len(x_train), batch_size=BATCH_SIZE))


def one_step_per_call_fit(data):
    """Ablation: (b) with one compiled call per batch (`steps_per_execution=1`)."""
    return _fit_model_run(data, 1)


def _fit_model_run(data, steps_per_execution):
    from iris_keras.train import fit_model

    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train, steps_per_execution=steps_per_execution)
    started = time.perf_counter()
    fit_model(
        model,
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        seed=SEED,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def pipeline_only_fit(data):
    """Ablation: only (b)'s pipeline: one call per batch, Keras's per-epoch `evaluate()`."""
    from iris_keras.train import training_feed

    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train)
    batches = training_feed(x_train, y_train, batch_size=BATCH_SIZE, seed=SEED, epochs=EPOCHS)
    started = time.perf_counter()
    model.fit(
        batches,
        epochs=EPOCHS,
        steps_per_epoch=steps_per_epoch(len(x_train), batch_size=BATCH_SIZE),
        validation_data=(x_test, y_test),
        validation_batch_size=len(x_test),
        shuffle=False,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def scratch_fit(data):
    """(c) The from-scratch NumPy loop of §3.3, from the same initial weights and batches.

    It computes no per-epoch validation: its row is a floor, not a like-for-like rival.
    """
    try:
        from iris_keras import scratch
    except ImportError:
        return None
    (x_train, y_train), (x_test, y_test) = data
    params = scratch.params_from_model(_fresh_model(x_train))
    started = time.perf_counter()
    params, _ = scratch.fit(
        params,
        x_train,
        y_train,
        loss="binary_crossentropy",
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        momentum=MOMENTUM,
        seed=SEED,
    )
    seconds = time.perf_counter() - started
    predicted = scratch.forward(params, x_test)[:, 0] >= 0.5
    return seconds, float(np.mean(predicted == (y_test == 1)))


def sklearn_fit(data):
    """(d) scikit-learn's `MLPClassifier`: (4, 3) ReLU, SGD 0.01, momentum 0.9, batch 32."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    (x_train, y_train), (x_test, y_test) = data
    classifier = make_pipeline(
        StandardScaler(),
        MLPClassifier(
            hidden_layer_sizes=(4, 3),
            activation="relu",
            solver="sgd",
            learning_rate_init=LEARNING_RATE,
            momentum=MOMENTUM,
            nesterovs_momentum=False,
            batch_size=BATCH_SIZE,
            max_iter=EPOCHS,
            shuffle=True,
            alpha=0.0,
            n_iter_no_change=EPOCHS + 1,
            tol=0.0,
            random_state=SEED,
        ),
    )
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 100 epochs, by design
        classifier.fit(x_train, y_train)
    return time.perf_counter() - started, float(classifier.score(x_test, y_test))


def _accuracy(model, x, y):
    return float(model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"])


CONTENDERS = {
    "(a) naive listing: arrays + validation_data": naive_fit,
    "(b) iris-keras fit_model, one compiled call per epoch": project_fit,
    "(b) ablation: one compiled call per batch": one_step_per_call_fit,
    "(b) ablation: pipeline only, Keras's evaluate() per epoch": pipeline_only_fit,
    "(c) from-scratch NumPy loop (no validation)": scratch_fit,
    "(d) scikit-learn MLPClassifier": sklearn_fit,
}

NAIVE_SCRIPT = """
import keras
from iris_keras.datasets import iris
from iris_keras.bench import naive_fit
naive_fit(iris.load_data())
"""
CLI_SCRIPT = """
import runpy, sys
sys.argv = ["iris-keras", "train", "--quiet", "--fresh", "--output", sys.argv[1]]
runpy.run_module("iris_keras", run_name="__main__")
"""
# A child's own peak memory: getrusage and wait4 would count the parent's
# memory too (the fork copies it before the exec), /proc's VmHWM does not.
MEMORY_PROBE = """
import atexit, os
def _report_peak_memory():
    with open("/proc/self/status") as status, open(os.environ["IRIS_KERAS_BENCH_HWM"], "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")))
atexit.register(_report_peak_memory)
_exit = os._exit  # the CLI leaves by os._exit, which skips atexit
os._exit = lambda status: (_report_peak_memory(), _exit(status))
"""


def _process(script, *args):
    """Runs a Python script in a fresh process; returns (wall seconds, peak memory MiB or None)."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "hwm"
        probe = MEMORY_PROBE if Path("/proc/self/status").exists() else ""
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "IRIS_KERAS_BENCH_HWM": str(report)}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", probe + script, *args],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - started
        memory = int(report.read_text().split()[1]) / 1024 if report.exists() else None
    return seconds, memory


def measure(repeats):
    """Runs every contender `repeats` times, interleaved; returns the table rows."""
    import keras

    keras.utils.disable_interactive_logging()  # no progress bars in the timings
    data = iris.load_data()
    times = {name: [] for name in CONTENDERS}
    accuracies = {}
    for name, contender in CONTENDERS.items():  # warm-up: imports, first traces
        result = contender(data)
        if result is None:
            times[name] = None
    for _ in range(repeats):
        for name, contender in CONTENDERS.items():
            if times[name] is not None:
                seconds, accuracies[name] = contender(data)
                times[name].append(seconds)
    rows = []
    baseline = statistics.median(times[next(iter(CONTENDERS))])
    for name in CONTENDERS:
        if times[name] is None:
            rows.append((name, None, None, None))
        else:
            median = statistics.median(times[name])
            rows.append((name, median, baseline / median, accuracies[name]))
    with tempfile.TemporaryDirectory() as output:
        cli, naive = [], []
        for _ in range(repeats):
            cli.append(_process(CLI_SCRIPT, output))
            naive.append(_process(NAIVE_SCRIPT))
    processes = [
        ("whole process: script running (a)", naive),
        ("whole process: `iris-keras train` (artifacts, reload check included)", cli),
    ]
    return rows, processes


def render(rows, processes, repeats):
    """The markdown block for the README."""
    from iris_keras import backend
    from iris_keras.device import cpu_description
    from iris_keras.run import library_versions

    versions = library_versions()
    backend_versions = " ".join(f"{name} {version}" for name, version in backend.versions().items())
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {cpu_description()}, "
        f"backend {backend.name()} ({backend_versions}) / Keras {versions['keras']} (CPU), "
        f"Python {platform.python_version()}; median of {repeats} interleaved repeats "
        "(`make bench`).",
        "",
        "| training, 100 epochs | `fit` seconds | speed-up vs (a) | test accuracy |",
        "|---|---|---|---|",
    ]
    for name, seconds, ratio, accuracy in rows:
        if seconds is None:
            lines.append(f"| {name} | not available | | |")
        else:
            lines.append(f"| {name} | {seconds:.3f} | {ratio:.1f}× | {accuracy:.3f} |")
    naive_seconds = statistics.median(seconds for seconds, _ in processes[0][1])
    lines += [
        "",
        "| whole process | wall seconds | speed-up | peak memory MiB |",
        "|---|---|---|---|",
    ]
    for name, runs in processes:
        seconds = statistics.median(run[0] for run in runs)
        memories = [run[1] for run in runs if run[1] is not None]
        memory = f"{statistics.median(memories):.0f}" if memories else "not measured"
        lines.append(f"| {name} | {seconds:.2f} | {naive_seconds / seconds:.1f}× | {memory} |")
    return "\n".join(lines)


def update_readme(block, readme=README):
    """Replaces the README's bench block with `block`."""
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    from iris_keras.artifacts import write_text

    write_text(readme, f"{head}{START}\n{block}\n{END}{tail}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m iris_keras.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--repeats", type=int, default=3, help="repeats per contender (>= 1)")
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be a positive integer. Received: {args.repeats}")
    from iris_keras.quiet_import import import_backend_quietly

    import_backend_quietly()
    rows, processes = measure(args.repeats)
    block = render(rows, processes, args.repeats)
    print(block)
    if not args.no_readme:
        update_readme(block)
        print(f"\nREADME.md updated between {START} and {END}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
