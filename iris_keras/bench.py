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
writes it to `runs/bench/bench-<backend>.md` (`--results`; `runs/` is not
tracked): measuring never modifies a tracked file. Publishing is a separate,
explicit step: `--update PAGE` (`make docs-update`) rewrites the page's block
between `<!-- bench:start -->` and `<!-- bench:end -->` from the results
files there, one per Keras backend measured.

Run: `python -m iris_keras.bench [--repeats 3] [--epochs 100] [--strategies]
[--results runs/bench]`,
then `python -m iris_keras.bench --update docs/speed.md`.
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
RESULTS_DIR = Path("runs") / "bench"
SPEED_PAGE = Path("docs") / "speed.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _fresh_model(x_train, *, steps_per_execution=1):
    from iris_keras.compile import compile_model
    from iris_keras.model import build_model
    from iris_keras.seeding import set_seed

    set_seed(SEED)
    return compile_model(build_model(x_train), steps_per_execution=steps_per_execution)


def naive_fit(data, epochs=EPOCHS):
    """(a) The article's listing: arrays into `fit`, the test set as `validation_data`."""
    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train)
    started = time.perf_counter()
    model.fit(
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=epochs,
        batch_size=BATCH_SIZE,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def project_fit(data, epochs=EPOCHS):
    """(b) `fit_model` as `iris-keras train` runs it: one compiled call per epoch."""
    (x_train, _), _ = data
    return _fit_model_run(data, steps_per_epoch(len(x_train), batch_size=BATCH_SIZE), epochs)


def one_step_per_call_fit(data, epochs=EPOCHS):
    """Ablation: (b) with one compiled call per batch (`steps_per_execution=1`)."""
    return _fit_model_run(data, 1, epochs)


def _fit_model_run(data, steps_per_execution, epochs):
    from iris_keras.train import fit_model

    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train, steps_per_execution=steps_per_execution)
    started = time.perf_counter()
    fit_model(
        model,
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=epochs,
        batch_size=BATCH_SIZE,
        seed=SEED,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def pipeline_only_fit(data, epochs=EPOCHS):
    """Ablation: only (b)'s pipeline: one call per batch, Keras's per-epoch `evaluate()`."""
    from iris_keras.train import training_feed

    (x_train, y_train), (x_test, y_test) = data
    model = _fresh_model(x_train)
    batches = training_feed(x_train, y_train, batch_size=BATCH_SIZE, seed=SEED, epochs=epochs)
    started = time.perf_counter()
    model.fit(
        batches,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch(len(x_train), batch_size=BATCH_SIZE),
        validation_data=(x_test, y_test),
        validation_batch_size=len(x_test),
        shuffle=False,
        verbose=0,
    )
    return time.perf_counter() - started, _accuracy(model, x_test, y_test)


def scratch_fit(data, epochs=EPOCHS):
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
        epochs=epochs,
        batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        momentum=MOMENTUM,
        seed=SEED,
    )
    seconds = time.perf_counter() - started
    predicted = scratch.forward(params, x_test)[:, 0] >= 0.5
    return seconds, float(np.mean(predicted == (y_test == 1)))


def sklearn_fit(data, epochs=EPOCHS):
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
            max_iter=epochs,
            shuffle=True,
            alpha=0.0,
            n_iter_no_change=epochs + 1,
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
import sys
import keras
from iris_keras.datasets import iris
from iris_keras.bench import naive_fit
naive_fit(iris.load_data(), int(sys.argv[1]))
"""
CLI_SCRIPT = """
import runpy, sys
sys.argv = ["iris-keras", "train", "--quiet", "--fresh", "--output", sys.argv[1],
            "--epochs", sys.argv[2]]
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


def measure(repeats, *, epochs=EPOCHS):
    """Runs every contender `repeats` times, interleaved; returns the table rows."""
    import keras

    keras.utils.disable_interactive_logging()  # no progress bars in the timings
    data = iris.load_data()
    times = {name: [] for name in CONTENDERS}
    accuracies = {}
    for name, contender in CONTENDERS.items():  # warm-up: imports, first traces
        result = contender(data, epochs)
        if result is None:
            times[name] = None
    for _ in range(repeats):
        for name, contender in CONTENDERS.items():
            if times[name] is not None:
                seconds, accuracies[name] = contender(data, epochs)
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
            cli.append(_process(CLI_SCRIPT, output, str(epochs)))
            naive.append(_process(NAIVE_SCRIPT, str(epochs)))
    processes = [
        ("whole process: script running (a)", naive),
        ("whole process: `iris-keras train` (artifacts, reload check included)", cli),
    ]
    return rows, processes


def render(rows, processes, repeats, *, epochs=EPOCHS):
    """The markdown table of one bench run, as `bench-<backend>.md` holds it."""
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
        f"| training, {epochs} epochs | `fit` seconds | speed-up vs (a) | test accuracy |",
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


STRATEGY_RUNS = {
    "one device (`--distribute none`)": ("none", 1),
    "mirrored, 2 logical CPUs (`--distribute mirrored --replicas 2`)": ("mirrored", 1),
    "multi-worker, 2 processes on 127.0.0.1 (`--distribute multi-worker`)": ("multi-worker", 2),
}


def measure_strategies(repeats, *, epochs=EPOCHS):
    """Times `iris-keras train --distribute ...` per strategy, in fresh processes (§6).

    Returns:
        Rows `(name, median fit seconds, median wall seconds, test accuracy)`;
        the fit seconds are the chief's `metrics.json` `timings.fit_seconds`.
    """
    import json

    from iris_keras.distribute import local_tf_configs

    times = {name: [] for name in STRATEGY_RUNS}
    accuracies = {}
    for _ in range(repeats):
        for name, (distribute, processes) in STRATEGY_RUNS.items():
            with tempfile.TemporaryDirectory() as output:
                command = [sys.executable, "-m", "iris_keras", "train", "--quiet"]
                command += ["--fresh", "--output", output, "--distribute", distribute]
                command += ["--epochs", str(epochs)]
                configs = local_tf_configs(processes) if distribute == "multi-worker" else [None]
                env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
                started = time.perf_counter()
                workers = [
                    subprocess.Popen(
                        command,
                        env={**env, "TF_CONFIG": config} if config else env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    for config in configs
                ]
                if any(worker.wait(timeout=600) != 0 for worker in workers):
                    raise RuntimeError(f"`iris-keras train --distribute {distribute}` failed")
                wall = time.perf_counter() - started
                metrics = json.loads((Path(output) / "metrics.json").read_text(encoding="utf-8"))
            times[name].append((metrics["timings"]["fit_seconds"], wall))
            accuracies[name] = metrics["test_accuracy"]
    return [
        (
            name,
            statistics.median(fit for fit, _ in runs),
            statistics.median(wall for _, wall in runs),
            accuracies[name],
        )
        for name, runs in times.items()
    ]


def render_strategies(rows):
    """The markdown table of `measure_strategies`: the cost of data parallelism on iris."""
    baseline = rows[0][1]
    lines = [
        "| §6 data parallel, article recipe | `fit` seconds | vs one device "
        "| wall seconds | test accuracy |",
        "|---|---|---|---|---|",
    ]
    for name, fit, wall, accuracy in rows:
        lines.append(
            f"| {name} | {fit:.2f} | {fit / baseline:.1f}× | {wall:.1f} | {accuracy:.3f} |"
        )
    return "\n".join(lines)


def results_path(results_dir=RESULTS_DIR, backend=None):
    """Where a bench run on `backend` keeps its table: `<results_dir>/bench-<backend>.md`.

    Args:
        results_dir: the results folder. Defaults to `runs/bench`.
        backend: the Keras backend's name. Defaults to the one Keras runs on.
    """
    if backend is None:
        import keras

        backend = keras.backend.backend()
    return Path(results_dir) / f"bench-{backend}.md"


def combined_results(results_dir=RESULTS_DIR):
    """The bench block of a page: every `bench-<backend>.md` in `results_dir`.

    One file gives its table as it is; several are each headed by their
    backend, in alphabetical order.

    Raises:
        IrisKerasError: `results_dir` holds no results file.
    """
    from iris_keras.errors import IrisKerasError

    files = sorted(Path(results_dir).glob("bench-*.md"))
    if not files:
        raise IrisKerasError(
            f"Received an invalid value for `results`, expected a folder with bench-<backend>.md "
            f"files. Received: results='{results_dir}', which has none. Run `make bench` first."
        )
    tables = [path.read_text(encoding="utf-8").strip() for path in files]
    if len(files) == 1:
        return tables[0]
    return "\n\n".join(
        f"**Keras backend: {path.stem.removeprefix('bench-')}**\n\n{table}"
        for path, table in zip(files, tables, strict=True)
    )


def update_page(page=SPEED_PAGE, results_dir=RESULTS_DIR):
    """Rewrites `page`'s bench block from the results files; touches nothing else."""
    from iris_keras.page_block import replace_block

    replace_block(page, combined_results(results_dir), start=START, end=END, name="update")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m iris_keras.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--repeats", type=int, default=3, help="repeats per contender (>= 1)")
    parser.add_argument(
        "--epochs", type=int, default=EPOCHS, help=f"epochs per fit (>= 1; default {EPOCHS})"
    )
    parser.add_argument(
        "--results",
        default=str(RESULTS_DIR),
        help=f"folder of the bench-<backend>.md results (default {RESULTS_DIR})",
    )
    parser.add_argument(
        "--strategies",
        action="store_true",
        help="also time `iris-keras train --distribute` per strategy (§6)",
    )
    parser.add_argument(
        "--update",
        metavar="PAGE",
        help="measure nothing: rewrite PAGE's bench block from the results files",
    )
    args = parser.parse_args(argv)
    for name in ("repeats", "epochs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be a positive integer. Received: {getattr(args, name)}")
    if args.update:
        return _publish(args.update, args.results)
    from iris_keras import backend
    from iris_keras.quiet_import import import_backend_quietly

    import_backend_quietly()
    rows, processes = measure(args.repeats, epochs=args.epochs)
    block = render(rows, processes, args.repeats, epochs=args.epochs)
    if args.strategies and backend.name() != "tensorflow":
        print(f"--strategies: data-parallel training runs on TensorFlow, not {backend.name()}")
    elif args.strategies:
        block += "\n\n" + render_strategies(measure_strategies(args.repeats, epochs=args.epochs))
    print(block)
    path = results_path(args.results)
    path.parent.mkdir(parents=True, exist_ok=True)
    from iris_keras.artifacts import write_text

    write_text(path, block + "\n")
    print(f"\nwritten to {path}; `make docs-update` puts it into {SPEED_PAGE}.")
    return 0


def _publish(page, results_dir):
    from iris_keras.errors import IrisKerasError

    try:
        update_page(page, results_dir)
    except IrisKerasError as error:
        print(f"python -m iris_keras.bench: error: {error}", file=sys.stderr)
        return 1
    print(f"{page} updated between {START} and {END} from {results_dir}/bench-*.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
