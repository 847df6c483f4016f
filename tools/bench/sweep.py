"""`make bench-sweep`: the whole atlas, stacked, against one Keras model per run, per run.

Times, on this machine and backend, in one run, as whole `iris-keras sweep`
processes into temporary folders (`study.time_grid`: wall seconds, the
sweep's own `wall_seconds`, CPU seconds of the process and its workers):

- (s) the atlas as `iris-keras sweep` trains it by default: 6,000 runs of
  200 epochs, every epoch's scores recorded, each batch size of a recipe
  one stacked model of 600 copies, in one worker process per core;
- (p) the same command with `--per-run`, one Keras model per run
  (`fit_model`, the same 200 epochs and the same per-epoch test scores), on
  a sample of the atlas that holds each recipe and batch size alike: seeds
  42 to 45 at the article's learning rate 0.01 and momentum 0.9, 40 runs (a
  batch of 8 costs fifteen times the steps of a batch of 120, so the sample
  keeps the atlas's mix of them; and enough runs that the workers' start-up,
  Keras's import, weighs on each run about as it does in the atlas).

Both are compared per run: seconds divided by the runs trained. (s) is the
median of `--repeats` runs (a minute each); (p) one. Writes the table to
`runs/bench/sweep-<backend>.md`; `make docs-update` publishes those files.
"""

import time

from tools.bench.study import median_runs, per_run_rows, time_grid

SWEEP_START, SWEEP_END = "<!-- bench-sweep:start -->", "<!-- bench-sweep:end -->"
SAMPLE = ("--seeds", "4", "--learning-rate", "0.01", "--momentum", "0.9")


def measure_sweep(repeats=1):
    """(s) and (p), as `render_sweep` shows them; (s) the median of `repeats` runs."""
    stacked = [time_grid("sweep")]
    per_run = time_grid("sweep", "--per-run", *SAMPLE)
    stacked += [time_grid("sweep") for _ in range(repeats - 1)]
    return {"repeats": repeats, "stacked": median_runs(stacked), "per_run": per_run}


def render_sweep(measured):
    """The markdown table of `measure_sweep`."""
    from iris_keras import backend
    from iris_keras.common.machine import cpu_description

    stacked, per_run = measured["stacked"], measured["per_run"]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {cpu_description()}, backend "
        f"{backend.name()}: the whole atlas, {stacked[2]} runs of 200 epochs, against "
        f"{per_run[2]} of its runs one Keras model per run (each recipe and batch size, at "
        f"0.01 and 0.9, 4 seeds), compared per run; (s) the median of "
        f"{measured['repeats']} run(s), (p) one (`make bench-sweep`).",
        "",
        "| atlas | runs | process wall seconds | sweep's own seconds | CPU seconds "
        "| seconds per run: wall, CPU | speed-up per run vs (p): wall, CPU |",
        "|---|---|---|---|---|---|---|",
        *per_run_rows(
            stacked,
            per_run,
            (
                "(p) one Keras model per run (`--per-run`)",
                "(s) stacked, 600 runs per model (default)",
            ),
        ),
    ]
    return "\n".join(lines)
