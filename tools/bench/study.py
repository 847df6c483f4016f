"""`make bench-study`: the whole seed study, stacked against the per-run pool, side by side.

Times, on this machine and backend, in one run:

- (s) `iris-keras study` as it runs by default: every run of a recipe and
  width stacked in one Keras model, in local worker processes (one per core);
- (p) `iris-keras study --per-run`: the reference path, one Keras model per
  run, in the same worker processes (the study as it ran before stacking);
- (n) the NumPy floor: `iris_keras.scratch` training the article's network
  (100 epochs, the same batches) once per run of the study, in one process,
  with no validation and no Keras at all: what the arithmetic costs.

(s) and (p) are whole processes (start-up, Keras's import, the report
included) into temporary folders: their wall time, the study's own
`wall_seconds` (`study.json`, from the first task handed out to the last row
written), and the CPU seconds of the process and its workers (user + system,
`getrusage`): on a machine shared with other work the wall times move with
the load, the CPU seconds much less. (s) is the median of `--repeats` runs
(seconds each), one before (p) and the rest after it; (p) is one run
(minutes). By
default both train the whole grid (16 variants x 20 seeds, 320 runs); with
`--per-run-seeds N` the per-run pool trains N seeds of every variant and its
time is scaled to the grid, and the table says so. Writes the table to
`runs/bench/study-<backend>.md`; `make docs-update` publishes those files.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.bench.contenders import scratch_fit

STUDY_START, STUDY_END = "<!-- bench-study:start -->", "<!-- bench-study:end -->"


def time_study(seeds, *extra):
    """Runs `iris-keras study --seeds SEEDS EXTRA` in a fresh process.

    Returns:
        `(process wall seconds, the study's wall_seconds, runs, CPU seconds)`.
    """
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as output:
        command = [sys.executable, "-m", "iris_keras", "study", "--seeds", str(seeds)]
        command += ["--output", output, "--quiet", *extra]
        started = time.perf_counter()
        subprocess.run(
            command,
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
        wall = time.perf_counter() - started
        metadata = json.loads((Path(output) / "study.json").read_text(encoding="utf-8"))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    session = metadata["sessions"][-1]
    return wall, session["wall_seconds"], session["runs"], cpu


def numpy_floor(runs, repeats=3):
    """Seconds `iris_keras.scratch` takes to train `runs` runs: `runs` times its median run."""
    from iris_keras.datasets import iris

    data = iris.load_data()
    times = [scratch_fit(data)[0] for _ in range(repeats)]
    return runs * statistics.median(times)


def measure_study(seeds, per_run_seeds, repeats=3):
    """(s), (p) and (n), as `render_study` shows them; (s) the median of `repeats` runs."""
    runs = [time_study(seeds)]
    per_run = time_study(per_run_seeds, "--per-run")
    runs += [time_study(seeds) for _ in range(repeats - 1)]
    median = [statistics.median(run[index] for run in runs) for index in (0, 1, 3)]
    stacked = (median[0], median[1], runs[0][2], median[2])
    return {
        "repeats": repeats,
        "seeds": seeds,
        "per_run_seeds": per_run_seeds,
        "stacked": stacked,
        "per_run": per_run,
        "numpy": numpy_floor(stacked[2]),
    }


def render_study(measured):
    """The markdown table of `measure_study`."""
    from iris_keras import backend
    from iris_keras.common.machine import cpu_description

    stacked, per_run = measured["stacked"], measured["per_run"]
    scale = stacked[2] / per_run[2]
    scaled = f", scaled ×{scale:g} from {per_run[2]} runs" if scale != 1 else ""
    per_run_wall, per_run_study, per_run_cpu = (per_run[i] * scale for i in (0, 1, 3))
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {cpu_description()}, backend "
        f"{backend.name()}: the whole seed study, {stacked[2]} runs of 100 epochs; (s) the "
        f"median of {measured.get('repeats', 1)} runs, (p) one (`make bench-study`).",
        "",
        "| seed study | process wall seconds | study's own seconds | CPU seconds "
        "| speed-up vs (p): wall, CPU |",
        "|---|---|---|---|---|",
        f"| (p) per-run pool, one Keras model per run (`--per-run`{scaled}) "
        f"| {per_run_wall:.0f} | {per_run_study:.0f} | {per_run_cpu:.0f} | 1.0×, 1.0× |",
        f"| (s) stacked, one Keras model per recipe and width (default) | {stacked[0]:.1f} "
        f"| {stacked[1]:.1f} | {stacked[3]:.1f} "
        f"| {per_run_wall / stacked[0]:.0f}×, {per_run_cpu / stacked[3]:.0f}× |",
        f"| (n) NumPy floor: `iris_keras.scratch`, {stacked[2]} runs, one process, no Keras "
        f"| | {measured['numpy']:.1f} | | |",
    ]
    return "\n".join(lines)
