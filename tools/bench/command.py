"""`python -m tools.bench`: measure and keep the tables, or publish them into a page."""

import argparse
import sys
from pathlib import Path

from tools.bench.contenders import EPOCHS, measure
from tools.bench.processes import measure_processes, measure_strategies
from tools.bench.tables import (
    RESULTS_DIR,
    SPEED_PAGE,
    render_strategies,
    render_table,
    results_path,
    update_page,
)


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    args.per_run_seeds = args.per_run_seeds or args.seeds
    for name in ("repeats", "epochs", "seeds", "per_run_seeds"):
        if getattr(args, name) < 1:
            flag = name.replace("_", "-")
            parser.error(f"--{flag} must be a positive integer. Received: {getattr(args, name)}")
    if args.update:
        return _publish(args.update, args.results)
    if args.study:
        return _study(args.seeds, args.per_run_seeds, args.repeats, args.results)
    if args.sweep:
        return _sweep(args.repeats, args.results)
    return _contenders(args.repeats, args.epochs, args.strategies, args.results)


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n")[0]
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
        "--study",
        action="store_true",
        help="time the whole seed study instead: stacked, the per-run pool, the NumPy floor",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="time the whole atlas instead: stacked, and one Keras model per run on a sample",
    )
    parser.add_argument(
        "--seeds", type=int, default=20, help="--study: seeds per variant (>= 1; default 20)"
    )
    parser.add_argument(
        "--per-run-seeds",
        type=int,
        help="--study: seeds per variant of the per-run pool, compared per run "
        "(>= 1; default --seeds: the whole grid, about 16 minutes on 2 cores)",
    )
    parser.add_argument(
        "--update",
        metavar="PAGE",
        help="measure nothing: rewrite PAGE's bench block from the results files",
    )
    return parser


def _contenders(repeats, epochs, strategies, results_dir):
    from iris_keras import backend

    rows = measure(repeats, epochs=epochs)
    processes = measure_processes(repeats, epochs=epochs)
    block = render_table(rows, processes, repeats, epochs=epochs)
    if strategies and backend.name() != "tensorflow":
        print(f"--strategies: data-parallel training runs on TensorFlow, not {backend.name()}")
    elif strategies:
        block += "\n\n" + render_strategies(measure_strategies(repeats, epochs=epochs))
    return _keep(block, results_path(results_dir))


def _publish(page, results_dir):
    from iris_keras.errors import IrisKerasError

    try:
        update_page(page, results_dir)
    except IrisKerasError as error:
        print(f"python -m tools.bench: error: {error}", file=sys.stderr)
        return 1
    print(f"{page} updated: each block measured in {results_dir} (bench, study, sweep).")
    return 0


def _study(seeds, per_run_seeds, repeats, results_dir):
    from iris_keras import backend
    from tools.bench.study import measure_study, render_study

    block = render_study(measure_study(seeds, per_run_seeds, repeats))
    return _keep(block, Path(results_dir) / f"study-{backend.name()}.md")


def _sweep(repeats, results_dir):
    from iris_keras import backend
    from tools.bench.sweep import measure_sweep, render_sweep

    block = render_sweep(measure_sweep(repeats))
    return _keep(block, Path(results_dir) / f"sweep-{backend.name()}.md")


def _keep(block, path):
    """Prints a measured `block` and writes it to `path`, for `make docs-update` to publish."""
    from iris_keras.common.artifacts import write_text

    print(block)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, block + "\n")
    print(f"\nwritten to {path}; `make docs-update` puts it into {SPEED_PAGE}.")
    return 0
