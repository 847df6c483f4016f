"""`make bench-study`: the whole seed study, stacked against the per-run pool, per run.

Times, on this machine and backend, in one run:

- (s) `iris-keras study` as it runs by default: every run of a recipe and
  width stacked in one Keras model, in local worker processes (one per core);
- (p) `iris-keras study --per-run`: the reference path, one Keras model per
  run, in the same worker processes (the study as it ran before stacking),
  on `--per-run-seeds` seeds of every variant (4 by default: 64 runs);
- (n) the NumPy floor: `iris_keras.scratch` training the article's network
  (100 epochs, the same batches) once per run of the study, in one process,
  with no validation and no Keras at all: what the arithmetic costs.

(s) and (p) are whole processes (start-up, Keras's import, the report
included) into temporary folders (`time_grid`): their wall time, the
study's own `wall_seconds` (`study.json`, from the first task handed out to
the last row written), and the CPU seconds of the process and its workers
(user + system, `getrusage`): on a machine shared with other work the wall
times move with the load, the CPU seconds much less. Each is compared per
run: seconds divided by the runs it trained. (s) is the median of
`--repeats` runs, one before (p) and the rest after it; (p) is one run.
Writes the table to `runs/bench/study-<backend>.md`; `make docs-update`
publishes those files.
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


def time_grid(command, *arguments):
    """Runs `iris-keras COMMAND ARGUMENTS` (`study` or `sweep`) in a fresh process.

    Returns:
        `(process wall seconds, the grid's own wall_seconds, runs, CPU seconds)`:
        the CPU seconds of the process and every worker it started.
    """
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as output:
        line = [sys.executable, "-m", "iris_keras", command, *arguments, "--output", output]
        started = time.perf_counter()
        subprocess.run(
            [*line, "--quiet"],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
        wall = time.perf_counter() - started
        metadata = json.loads((Path(output) / f"{command}.json").read_text(encoding="utf-8"))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    session = metadata["sessions"][-1]
    return wall, session["wall_seconds"], session["runs"], cpu


def time_study(seeds, *extra):
    """`time_grid("study", "--seeds", SEEDS, *EXTRA)`."""
    return time_grid("study", "--seeds", str(seeds), *extra)


def numpy_floor(runs, repeats=3):
    """Seconds `iris_keras.scratch` takes to train `runs` runs: `runs` times its median run."""
    from iris_keras.datasets import iris

    data = iris.load_data()
    times = [scratch_fit(data)[0] for _ in range(repeats)]
    return runs * statistics.median(times)


def median_runs(timings):
    """The element-wise median of `time_grid` results (the runs, from the first)."""
    wall, own, cpu = (statistics.median(found[index] for found in timings) for index in (0, 1, 3))
    return wall, own, timings[0][2], cpu


def measure_study(seeds, per_run_seeds, repeats=3):
    """(s), (p) and (n), as `render_study` shows them; (s) the median of `repeats` runs."""
    runs = [time_study(seeds)]
    per_run = time_study(per_run_seeds, "--per-run")
    runs += [time_study(seeds) for _ in range(repeats - 1)]
    stacked = median_runs(runs)
    return {
        "repeats": repeats,
        "stacked": stacked,
        "per_run": per_run,
        "numpy": numpy_floor(stacked[2]),
    }


def per_run_rows(stacked, per_run, labels):
    """The table's rows of (p) and (s): totals, seconds per run, speed-ups per run."""
    base = (per_run[0] / per_run[2], per_run[3] / per_run[2])
    lines = []
    for label, found in zip(labels, (per_run, stacked), strict=True):
        wall, cpu = found[0] / found[2], found[3] / found[2]
        lines.append(
            f"| {label} | {found[2]} | {found[0]:.1f} | {found[1]:.1f} | {found[3]:.1f} "
            f"| {wall:.3g}, {cpu:.3g} | {base[0] / wall:.0f}×, {base[1] / cpu:.0f}× |"
        )
    return lines


def render_study(measured):
    """The markdown table of `measure_study`."""
    from iris_keras import backend
    from iris_keras.common.machine import cpu_description

    stacked = measured["stacked"]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {cpu_description()}, backend "
        f"{backend.name()}: the whole seed study, {stacked[2]} runs of 100 epochs, against "
        f"{measured['per_run'][2]} of its runs one Keras model per run, compared per run; (s) "
        f"the median of {measured.get('repeats', 1)} runs, (p) one (`make bench-study`).",
        "",
        "| seed study | runs | process wall seconds | study's own seconds | CPU seconds "
        "| seconds per run: wall, CPU | speed-up per run vs (p): wall, CPU |",
        "|---|---|---|---|---|---|---|",
        *per_run_rows(
            stacked,
            measured["per_run"],
            (
                "(p) per-run pool, one Keras model per run (`--per-run`)",
                "(s) stacked, one Keras model per recipe and width (default)",
            ),
        ),
        f"| (n) NumPy floor: `iris_keras.scratch`, one process, no Keras | {stacked[2]} "
        f"| | {measured['numpy']:.1f} | | {measured['numpy'] / stacked[2]:.3g} | |",
    ]
    return "\n".join(lines)
