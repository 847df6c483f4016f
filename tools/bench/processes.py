"""Whole processes timed by `make bench`: start-up, training and artifacts together."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.bench.contenders import EPOCHS

NAIVE_SCRIPT = """
import sys
import keras
from iris_keras.datasets import iris
from tools.bench.contenders import naive_fit
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


def measure_processes(repeats, *, epochs=EPOCHS):
    """Times `iris-keras train` and a script running the naive listing, as whole processes.

    Returns:
        `[(name, [(wall seconds, peak MiB or None), ...]), ...]`, naive first.
    """
    with tempfile.TemporaryDirectory() as output:
        cli, naive = [], []
        for _ in range(repeats):
            cli.append(_process(CLI_SCRIPT, output, str(epochs)))
            naive.append(_process(NAIVE_SCRIPT, str(epochs)))
    return [
        ("whole process: script running (a)", naive),
        ("whole process: `iris-keras train` (artifacts, reload check included)", cli),
    ]


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
    from iris_keras.app.cluster import local_tf_configs

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
