"""`make bench`'s tables: rendered, kept in `runs/bench/`, published into `docs/speed.md`.

Measuring writes `runs/bench/bench-<backend>.md` (`runs/` is not tracked);
publishing (`make docs-update`) is a separate, explicit step that rewrites
the page's block between `<!-- bench:start -->` and `<!-- bench:end -->`.
"""

import datetime
import platform
import statistics
from pathlib import Path

from iris_keras.common.pages import write_block
from iris_keras.errors import IrisKerasError
from tools.bench.contenders import EPOCHS

RESULTS_DIR = Path("runs") / "bench"
SPEED_PAGE = Path("docs") / "speed.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def render_table(rows, processes, repeats, *, epochs=EPOCHS):
    """The markdown table of one bench run, as `bench-<backend>.md` holds it."""
    from iris_keras import backend
    from iris_keras.common.machine import cpu_description, library_versions

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


def combined_results(results_dir=RESULTS_DIR, prefix="bench"):
    """The bench block of a page: every `bench-<backend>.md` in `results_dir`.

    One file gives its table as it is; several are each headed by their
    backend, in alphabetical order.

    Raises:
        IrisKerasError: `results_dir` holds no results file.
    """
    files = sorted(Path(results_dir).glob(f"{prefix}-*.md"))
    if not files:
        raise IrisKerasError(
            f"Received an invalid value for `results`, expected a folder with "
            f"{prefix}-<backend>.md files. Received: results='{results_dir}', which has none. "
            f"Run `make {'bench' if prefix == 'bench' else f'bench-{prefix}'}` first."
        )
    tables = [path.read_text(encoding="utf-8").strip() for path in files]
    if len(files) == 1:
        return tables[0]
    return "\n\n".join(
        f"**Keras backend: {path.stem.removeprefix(prefix + '-')}**\n\n{table}"
        for path, table in zip(files, tables, strict=True)
    )


def update_page(page=SPEED_PAGE, results_dir=RESULTS_DIR):
    """Rewrites the page's blocks that have results; touches nothing else.

    The bench block (`bench-<backend>.md`, `make bench`), the seed study's
    (`<!-- bench-study:start -->`, `study-<backend>.md`, `make bench-study`)
    and the atlas's (`<!-- bench-sweep:start -->`, `sweep-<backend>.md`,
    `make bench-sweep`): each block whose results the folder holds, the
    others left as they are.

    Raises:
        IrisKerasError: `results_dir` holds no results file of any kind.
    """
    from tools.bench.study import STUDY_END, STUDY_START
    from tools.bench.sweep import SWEEP_END, SWEEP_START

    blocks = (("bench", START, END), ("study", STUDY_START, STUDY_END))
    blocks += (("sweep", SWEEP_START, SWEEP_END),)
    measured = [block for block in blocks if any(Path(results_dir).glob(f"{block[0]}-*.md"))]
    if not measured:
        combined_results(results_dir)  # raises, naming `make bench`
    for prefix, start, end in measured:
        # The study's and the atlas's blocks are the page's to have; write_block refuses the rest.
        text = Path(page).read_text(encoding="utf-8") if Path(page).is_file() else ""
        if prefix != "bench" and text and start not in text:
            continue
        write_block(
            page, combined_results(results_dir, prefix=prefix), start=start, end=end, name="update"
        )
