"""The study's progress bar: one tick per run, on a terminal or in a log."""

import io

import pytest

from iris_keras.study.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(
    "stream_type, lines, carriage_returns",
    [
        pytest.param(io.StringIO, 3, 0, id="log-one-line-per-run"),
        pytest.param(_Terminal, 1, 3, id="terminal-one-redrawn-line"),
    ],
)
def test_progress_ticks_once_per_run(stream_type, lines, carriage_returns):
    stream = stream_type()
    progress = Progress(3, stream=stream)
    for seed in (42, 43, 44):
        progress.tick(
            {
                "variant": "multiclass-std-4x3",
                "seed": seed,
                "test_accuracy": seed / 50,
                "seconds": 1.25,
            }
        )
    progress.close()
    text = stream.getvalue()
    assert text.count("\n") == lines and text.count("\r") == carriage_returns
    assert "3/3 " in text and "multiclass-std-4x3 seed 44: 0.880" in text


def test_progress_says_how_many_runs_were_already_recorded():
    stream = io.StringIO()
    Progress(16, done=4, stream=stream).close()
    assert stream.getvalue() == "4 of 16 runs already recorded\n"


def test_without_a_stream_it_only_counts():
    progress = Progress(1)
    progress.tick({"variant": "v", "seed": 1, "test_accuracy": 1.0, "seconds": 1.0})
    progress.close()
    assert progress.done == 1


class _FlushCounting(io.StringIO):
    flushes = 0

    def flush(self):
        self.flushes += 1


def test_a_terminal_shows_a_bar_with_elapsed_and_remaining_time(monkeypatch):
    from iris_keras.study import progress as module

    clock = iter([1000.0, 1030.0, 1150.0])  # start, then after 30 s and after 150 s
    monkeypatch.setattr(module.time, "perf_counter", lambda: next(clock))
    stream = type("Terminal", (_Terminal, _FlushCounting), {})()
    progress = Progress(8, done=3, stream=stream)
    assert stream.getvalue() == "3 of 8 runs already recorded\n" and stream.flushes == 1
    stream.seek(0), stream.truncate()
    row = {"variant": "article-virginica-std-4x3", "seed": 45, "test_accuracy": 0.9, "seconds": 3}
    progress.tick(row)
    line = (
        "\r4/8 [==========..........] 0m30s elapsed, ~2m00s left  "
        "article-virginica-std-4x3 seed 45: 0.900"
    )
    assert stream.getvalue() == f"{line:<100}" and stream.flushes == 2
    stream.seek(0), stream.truncate()
    progress.tick({**row, "seed": 46})
    # 2 runs in 150 s, 3 left: 225 s
    line = (
        "\r5/8 [============........] 2m30s elapsed, ~3m45s left  "
        "article-virginica-std-4x3 seed 46: 0.900"
    )
    assert stream.getvalue() == f"{line:<100}"
