"""The benchmark's report (its timings are measured by `make bench`, never asserted)."""

import pytest

from iris_keras import bench

ROWS = [
    ("(a) naive", 8.0, 1.0, 0.967),
    ("(b) ours", 1.0, 8.0, 0.967),
    ("(c) scratch", None, None, None),
]
PROCESSES = [("naive process", [(16.0, 800.0)]), ("cli process", [(8.0, 790.0)])]


def test_render_gives_ratios_and_not_available():
    block = bench.render(ROWS, PROCESSES, repeats=1)
    assert "| (b) ours | 1.000 | 8.0× | 0.967 |" in block
    assert "| (c) scratch | not available | | |" in block
    assert "| cli process | 8.00 | 2.0× | 790 |" in block
    import keras

    assert f"backend {keras.backend.backend()} (" in block and "median of 1" in block


def test_update_readme_replaces_only_the_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{bench.START}\nold\n{bench.END}\nafter\n")
    bench.update_readme("new table", readme=readme)
    assert readme.read_text() == f"before\n{bench.START}\nnew table\n{bench.END}\nafter\n"


def test_repeats_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--repeats", "0"])
    assert exit_info.value.code == 2
    assert "--repeats must be a positive integer. Received: 0" in capsys.readouterr().err
