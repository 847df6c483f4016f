"""The benchmark's report and where it goes (timings are measured by `make bench`, never asserted).

Measuring writes `runs/bench/bench-<backend>.md` and no tracked file;
publishing into a page is `--update PAGE` (`make docs-update`).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.bench import command, tables

REPO = Path(__file__).resolve().parents[2]

ROWS = [
    ("(a) naive", 8.0, 1.0, 0.967),
    ("(b) ours", 1.0, 8.0, 0.967),
    ("(c) scratch", None, None, None),
]
PROCESSES = [("naive process", [(16.0, 800.0)]), ("cli process", [(8.0, 790.0)])]


def test_render_gives_ratios_and_not_available():
    block = tables.render_table(ROWS, PROCESSES, repeats=1)
    assert "| (b) ours | 1.000 | 8.0× | 0.967 |" in block
    assert "| (c) scratch | not available | | |" in block
    assert "| cli process | 8.00 | 2.0× | 790 |" in block
    import keras

    assert f"backend {keras.backend.backend()} (" in block and "median of 1" in block


def _tracked_changes():
    """`git status` of the repository: what a command changed in tracked (or new) files."""
    return subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _page(tmp_path):
    page = tmp_path / "speed.md"
    page.write_text(f"# Speed\n\n{tables.START}\nold table\n{tables.END}\n\nMore prose.\n")
    return page


def _results(tmp_path, **by_backend):
    results = tmp_path / "results"
    results.mkdir()
    for backend, table in by_backend.items():
        tables.results_path(results, backend).write_text(table + "\n")
    return results


def test_update_puts_the_one_result_into_the_block_and_nothing_else(tmp_path, capsys):
    page, results = _page(tmp_path), _results(tmp_path, tensorflow="| tf table |")
    assert command.main(["--update", str(page), "--results", str(results)]) == 0
    expected = f"# Speed\n\n{tables.START}\n| tf table |\n{tables.END}\n\nMore prose.\n"
    assert page.read_text() == expected
    assert f"{page} updated" in capsys.readouterr().out
    assert command.main(["--update", str(page), "--results", str(results)]) == 0
    assert page.read_text() == expected  # idempotent


def test_update_combines_every_backend_measured(tmp_path):
    results = _results(tmp_path, tensorflow="| tf table |", jax="| jax table |")
    assert tables.combined_results(results) == (
        "**Keras backend: jax**\n\n| jax table |\n\n**Keras backend: tensorflow**\n\n| tf table |"
    )


@pytest.mark.parametrize(
    "make_page, make_results, match",
    [
        pytest.param(
            _page, lambda tmp: tmp, "which has none. Run `make bench` first", id="no-results"
        ),
        pytest.param(
            lambda tmp: tmp / "missing.md",
            lambda tmp: _results(tmp, tensorflow="t"),
            "expected a readable file",
            id="no-page",
        ),
    ],
)
def test_update_errors_are_one_line(tmp_path, capsys, make_page, make_results, match):
    page, results = make_page(tmp_path), make_results(tmp_path)
    assert command.main(["--update", str(page), "--results", str(results)]) == 1
    error = capsys.readouterr().err
    assert match in error and error.count("\n") == 1


def test_measuring_writes_the_results_file_and_no_tracked_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(command, "measure", lambda repeats, epochs: ROWS)
    monkeypatch.setattr(command, "measure_processes", lambda repeats, epochs: PROCESSES)
    before = _tracked_changes()
    assert command.main(["--repeats", "1", "--results", str(tmp_path / "bench")]) == 0
    assert _tracked_changes() == before
    table = tables.results_path(tmp_path / "bench").read_text()
    assert table.startswith("Measured ") and "| (b) ours | 1.000 | 8.0× | 0.967 |" in table
    assert table.strip() in capsys.readouterr().out


@pytest.mark.slow
def test_a_real_bench_run_leaves_git_status_unchanged(tmp_path):
    before = _tracked_changes()
    arguments = ["-m", "tools.bench", "--repeats", "1", "--epochs", "1"]
    result = subprocess.run(
        [sys.executable, *arguments, "--results", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert _tracked_changes() == before
    [written] = tmp_path.iterdir()
    assert written.name.startswith("bench-") and "| training, 1 epochs |" in written.read_text()


@pytest.mark.parametrize("option", ["--repeats", "--epochs"])
def test_counts_must_be_positive(capsys, option):
    with pytest.raises(SystemExit) as exit_info:
        command.main([option, "0"])
    assert exit_info.value.code == 2
    assert f"{option} must be a positive integer. Received: 0" in capsys.readouterr().err


def test_render_strategies_gives_the_cost_against_one_device():
    rows = [("one device", 2.0, 9.0, 0.967), ("mirrored", 5.0, 14.0, 0.967)]
    block = tables.render_strategies(rows)
    assert "| one device | 2.00 | 1.0× | 9.0 | 0.967 |" in block
    assert "| mirrored | 5.00 | 2.5× | 14.0 | 0.967 |" in block


def test_the_readmes_speed_table_is_the_published_bench():
    """README.md's per-backend speed rows are the figures of docs/speed.md's bench block."""
    page = (REPO / "docs" / "speed.md").read_text(encoding="utf-8")
    block = page.split(tables.START)[1].split(tables.END)[0]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
    parts = re.split(r"\*\*Keras backend: (\w+)\*\*", block)
    assert sorted(parts[1::2]) == sorted(names)
    for backend, table in zip(parts[1::2], parts[2::2], strict=True):

        def cells(prefix, table=table):
            line = next(row for row in table.splitlines() if row.startswith(f"| {prefix}"))
            return [cell.strip() for cell in line.strip("|").split("|")][1:]

        naive, ours = cells("(a) naive")[0], cells("(b) iris-keras fit_model")[:2]
        script, train = cells("whole process: script")[0], cells("whole process: `iris-keras")
        row = [naive, *ours, script, *train]
        assert f"| {names[backend]} | {' | '.join(row)} |" in readme, backend


STUDY = {
    "stacked": (30.0, 20.0, 320, 40.0),
    "per_run": (100.0, 90.0, 64, 180.0),
    "numpy": 10.5,
}


def test_the_study_rows_compare_the_two_paths_per_run():
    from tools.bench.study import render_study

    block = render_study(STUDY)
    assert "against 64 of its runs one Keras model per run, compared per run" in block
    assert (
        "| (p) per-run pool, one Keras model per run (`--per-run`) | 64 | 100.0 | 90.0 | 180.0 "
        "| 1.56, 2.81 | 1×, 1× |" in block
    )
    assert (
        "| (s) stacked, one Keras model per recipe and width (default) | 320 | 30.0 | 20.0 | 40.0 "
        "| 0.0938, 0.125 | 17×, 22× |" in block
    )
    assert (
        "| (n) NumPy floor: `iris_keras.scratch`, one process, no Keras | 320 | | 10.5 | "
        "| 0.0328 | |" in block
    )


def test_measuring_the_study_writes_its_own_results_file(tmp_path, monkeypatch, capsys):
    from tools.bench import study

    seen = []

    def fake_time_study(seeds, *extra):
        seen.append((seeds, extra))
        return (5.0, 4.0, 16 * seeds, 9.0)

    monkeypatch.setattr(study, "time_study", fake_time_study)
    monkeypatch.setattr(study, "numpy_floor", lambda runs: 0.03 * runs)
    before = _tracked_changes()
    argv = ["--study", "--seeds", "3", "--per-run-seeds", "1", "--results", str(tmp_path)]
    assert command.main([*argv, "--repeats", "2"]) == 0
    assert _tracked_changes() == before
    assert seen == [(3, ()), (1, ("--per-run",)), (3, ())]
    [written] = tmp_path.glob("study-*.md")
    assert "48 runs of 100 epochs, against 16 of its runs" in capsys.readouterr().out
    assert "(s) the median of 2 runs, (p) one" in written.read_text()


def test_measuring_the_sweep_times_the_atlas_and_a_per_run_sample(tmp_path, monkeypatch, capsys):
    from tools.bench import sweep

    seen = []

    def fake_time_grid(command_name, *arguments):
        seen.append((command_name, arguments))
        return (60.0, 50.0, 6000, 100.0) if not arguments else (160.0, 150.0, 40, 280.0)

    monkeypatch.setattr(sweep, "time_grid", fake_time_grid)
    before = _tracked_changes()
    assert command.main(["--sweep", "--repeats", "1", "--results", str(tmp_path)]) == 0
    assert _tracked_changes() == before
    assert seen == [("sweep", ()), ("sweep", ("--per-run", *sweep.SAMPLE))]
    [written] = tmp_path.glob("sweep-*.md")
    table = written.read_text()
    assert "the whole atlas, 6000 runs of 200 epochs, against 40 of its runs" in table
    assert (
        "| (p) one Keras model per run (`--per-run`) | 40 | 160.0 | 150.0 | 280.0 | 4, 7 | 1×, 1× |"
        in table
    )
    assert "| (s) stacked, 600 runs per model (default) | 6000 | 60.0 | 50.0 | 100.0 " in table
    assert "| 0.01, 0.0167 | 400×, 420× |" in table and "written to" in capsys.readouterr().out


def test_update_also_publishes_the_study_and_sweep_tables_where_the_page_has_a_block(tmp_path):
    from tools.bench.study import STUDY_END, STUDY_START
    from tools.bench.sweep import SWEEP_END, SWEEP_START

    blocks = f"{STUDY_START}\ny\n{STUDY_END}\n\n{SWEEP_START}\nz\n{SWEEP_END}\n"
    page = tmp_path / "speed.md"
    page.write_text(f"{tables.START}\nx\n{tables.END}\n\n{blocks}")
    results = _results(tmp_path, tensorflow="| tf |")
    (results / "study-tensorflow.md").write_text("| tf study |\n")
    (results / "sweep-tensorflow.md").write_text("| tf sweep |\n")
    assert command.main(["--update", str(page), "--results", str(results)]) == 0
    assert page.read_text() == (
        f"{tables.START}\n| tf |\n{tables.END}\n\n{STUDY_START}\n| tf study |\n{STUDY_END}\n\n"
        f"{SWEEP_START}\n| tf sweep |\n{SWEEP_END}\n"
    )


def test_update_rewrites_only_the_blocks_measured(tmp_path):
    from tools.bench.study import STUDY_END, STUDY_START

    page = tmp_path / "speed.md"
    page.write_text(f"{tables.START}\nx\n{tables.END}\n\n{STUDY_START}\ny\n{STUDY_END}\n")
    results = tmp_path / "results"
    results.mkdir()
    (results / "study-tensorflow.md").write_text("| tf study |\n")
    assert command.main(["--update", str(page), "--results", str(results)]) == 0
    assert page.read_text() == (
        f"{tables.START}\nx\n{tables.END}\n\n{STUDY_START}\n| tf study |\n{STUDY_END}\n"
    )


def test_update_of_a_missing_page_is_one_line_whatever_was_measured(tmp_path, capsys):
    results = tmp_path / "results"
    results.mkdir()
    (results / "sweep-tensorflow.md").write_text("| tf sweep |\n")
    page = tmp_path / "missing.md"
    assert command.main(["--update", str(page), "--results", str(results)]) == 1
    error = capsys.readouterr().err
    assert "expected a readable file" in error and error.count("\n") == 1
