"""`iris-keras study` and `iris-keras sweep`: a grid of runs, trained, recorded, reported.

Both commands build their grid (`study.grid`), run it with the options they
share (`--workers`, `--per-run`, `--scheduler`, `--time-limit`, `--block`,
`--quiet`) through `study.runner.run_grid`, and print what it found. The
study also writes its report (and, with `--readme`, the study page's
block, and with `--reference FILE` the shipped recipes' reference, which
`train` and `evaluate` place a run in); the sweep, with `--summary FILE`,
the atlas's summary for a page.

Both exit 1 when a run failed (a diverged run is an outcome of its
settings, not a failure), 130 when interrupted: every finished run is
recorded, and the same command again continues from there.

With `--data FILE --target COLUMN` (and `--positive-class`, as `train`
takes them) either grid trains on a learner's table (`grid.table_recipes`):
the study's 8 variants (each recipe, standardized or raw, 4-3 or 16-8), the
sweep's axes around each recipe as shipped; into `runs/<backend>/<data
stem>-study/` (`-sweep/`) by default. A bad file is refused in one line
before anything is written; a rerun on another file, or on the same one
changed, is refused (`resume.check_same_table`).
"""

import sys

from iris_keras.app.parser import PROG, TABLE_VARIANT_NAMES, VARIANT_NAMES


def study(args, command):
    from iris_keras import backend
    from iris_keras.recipes import RECIPES
    from iris_keras.study.grid import study_grid
    from iris_keras.study.reference import reference_entries, write_reference
    from iris_keras.study.report import PLOT_NAME, SUMMARY_NAME, update_readme, write_report
    from iris_keras.study.statistics import summarize, summary_text
    from iris_keras.study.variants import study_variants

    if args.backend:
        backend.use(args.backend)
    tables = _tables(args, tuple(RECIPES))
    names = set(args.variants or (VARIANT_NAMES if tables is None else TABLE_VARIANT_NAMES))
    variants = [variant for variant in study_variants(tables=tables) if variant.name in names]
    grid = study_grid(seeds=args.seeds, epochs=args.epochs, variants=variants, tables=tables)

    def report(folder, rows, metadata):
        write_report(folder, rows, metadata, variants)

    output = _output(args, grid)
    found = _run_grid(args, command, grid, output, report)
    if found is None:
        return 130
    rows, metadata = found
    print(summary_text(summarize(rows, variants)))
    print(f"\nrows     {output / grid.rows_name}\nsummary  {output / SUMMARY_NAME}")
    print(f"plot     {output / PLOT_NAME}")
    if args.readme:
        update_readme(args.readme, output, rows, metadata, variants)
        print(f"readme   {args.readme} (study block rewritten)")
    if args.reference:
        entries = reference_entries(rows, variants, source=(output / grid.rows_name).as_posix())
        write_reference(args.reference, backend.configured(), entries)
        print(f"reference {args.reference} ({backend.configured()}: {', '.join(entries)})")
    return _exit_status(rows)


def sweep(args, command):
    from iris_keras import backend
    from iris_keras.study.atlas import load_atlas, summarize_atlas, write_summary
    from iris_keras.study.grid import CURVES_DIR, sweep_grid
    from iris_keras.study.statistics import summarize, sweep_text
    from iris_keras.study.variants import SWEEP_AXES

    if args.backend:
        backend.use(args.backend)
    axes = {name: getattr(args, name) for name in SWEEP_AXES}  # --recipe, --learning-rate, ...
    tables = _tables(args, axes["recipes"])
    grid = sweep_grid(seeds=args.seeds, epochs=args.epochs, tables=tables, **axes)
    output = _output(args, grid)
    found = _run_grid(args, command, grid, output, None)
    if found is None:
        return 130
    rows, metadata = found
    print(sweep_text(summarize(rows, list(grid.variants)), list(grid.variants)))
    print(f"\nrows     {output / grid.rows_name}\ncurves   {output / CURVES_DIR}/")
    if args.summary:
        write_summary(args.summary, summarize_atlas(load_atlas(output)), _provenance(metadata))
        print(f"summary  {args.summary}")
    return _exit_status(rows)


def _tables(args, recipes):
    """With `--data`: each of `recipes` on the table (a bad file refused, nothing written)."""
    from iris_keras.study.grid import table_recipes

    if args.data is None:
        return None
    return table_recipes(
        args.data, target=args.target, positive_class=args.positive_class, recipes=recipes
    )


def _output(args, grid):
    """`--output`, or `runs/<backend>/<name>`, after the table's name on a table (`grid_folder`)."""
    from pathlib import Path

    from iris_keras.app.outputs import grid_folder

    return Path(args.output or grid_folder(grid.name, grid.data.get("path")))


def _run_grid(args, command, grid, output, report):
    """`run_grid` with the command's options; `None` when interrupted (the rows are kept)."""
    from iris_keras.study.runner import DEFAULT_WORKERS, run_grid

    try:
        return run_grid(
            output,
            grid,
            workers=args.workers or DEFAULT_WORKERS,
            progress_stream=None if args.quiet else sys.stderr,
            command=command,
            per_run=args.per_run,
            scheduler=args.scheduler,
            time_limit=args.time_limit,
            block=args.block,
            report=report,
        )
    except KeyboardInterrupt:
        print(
            f"{PROG}: interrupted; every finished run is in {output / grid.rows_name}, "
            "and a rerun continues from there",
            file=sys.stderr,
        )
        return None


def _provenance(metadata):
    """What a sweep's summary keeps of how it ran: its last session's backend, versions, date."""
    last = metadata["sessions"][-1] if metadata.get("sessions") else {}
    return {key: last.get(key) for key in ("backend", "versions", "machine", "finished")}


def _exit_status(rows):
    """1 when a run failed (diverging is an outcome, not a failure), else 0."""
    from iris_keras.study.rows import failed

    return 1 if any(failed(row) for row in rows) else 0


COMMANDS = {"study": study, "sweep": sweep}
