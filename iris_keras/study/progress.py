"""A progress bar for many runs, without TensorFlow: one tick per finished run.

`keras.utils.Progbar` would import TensorFlow into the process that only
hands runs to the workers, so this one is plain text: on a terminal it
redraws one line with the elapsed and remaining time; in a log (`make`
output, CI) it writes one line per finished task: per run when each run is
a task (`--per-run`), per stack of runs otherwise (a sweep's 600).
"""

import statistics
import time

from iris_keras.study.rows import diverged, failed


class Progress:
    """A progress bar with one tick per run.

    Args:
        total: the number of runs in the study, recorded ones included.
        done: the runs already recorded before this session. Defaults to `0`.
        stream: a text stream (`sys.stderr`), or `None` to show nothing.
            Defaults to `None`.

    Example:
    >>> import io
    >>> log = io.StringIO()
    >>> progress = Progress(2, stream=log)
    >>> progress.tick({"variant": "multiclass-std-16x8", "seed": 42,
    ...                "test_accuracy": 0.9667, "seconds": 2.4})
    >>> print(log.getvalue(), end="")
    1/2 multiclass-std-16x8 seed 42: 0.967 (2.4 s)
    """

    def __init__(self, total, *, done=0, stream=None):
        self.total, self.done, self.stream = total, done, stream
        self.started, self.ticks = time.perf_counter(), 0
        self.terminal = stream is not None and getattr(stream, "isatty", lambda: False)()
        if stream is not None and done:
            print(f"{done} of {total} runs already recorded", file=stream, flush=True)

    def tick(self, row):
        """Counts one finished run, described by its study row."""
        self.done, self.ticks = self.done + 1, self.ticks + 1
        if self.stream is None:
            return
        elapsed = time.perf_counter() - self.started
        left = elapsed / self.ticks * (self.total - self.done)
        outcome = "failed" if row.get("error") else f"{row['test_accuracy']:.3f}"
        last = f"{row['variant']} seed {row['seed']}: {outcome}"
        counter = f"{self.done:>{len(str(self.total))}}/{self.total}"
        if self.terminal:
            filled = round(20 * self.done / self.total)
            bar = "=" * filled + "." * (20 - filled)
            line = f"\r{counter} [{bar}] {_clock(elapsed)} elapsed, ~{_clock(left)} left  {last}"
            self.stream.write(f"{line:<100}")
        else:
            self.stream.write(f"{counter} {last} ({row['seconds']:.1f} s)\n")
        self.stream.flush()

    def tick_task(self, rows, label):
        """Counts a finished task's runs: one line in a log, one redraw on a terminal.

        Args:
            rows: the task's rows.
            label: what the task trained, e.g. `"article 4x3 b8, 600 runs"`.

        Example:
        >>> import io
        >>> log = io.StringIO()
        >>> progress = Progress(4, stream=log)
        >>> progress.tick_task([
        ...     {"variant": "article-virginica-std-4x3", "recipe": "article", "units": "4x3",
        ...      "seed": seed, "test_accuracy": accuracy, "seconds": 0.02, "error": None}
        ...     for seed, accuracy in ((42, 0.9), (43, 1.0))], "article 4x3, 2 runs")
        >>> print(log.getvalue(), end="")
        2/4 article 4x3, 2 runs: median test accuracy 0.950, 0 diverged, 0 failed (0.0 s)
        """
        if len(rows) == 1 or self.stream is None or self.terminal:
            for row in rows:
                self.tick(row)
            return
        self.done, self.ticks = self.done + len(rows), self.ticks + len(rows)
        scored = [row["test_accuracy"] for row in rows if not row.get("error")]
        median = f"median test accuracy {statistics.median(scored):.3f}, " if scored else ""
        counter = f"{self.done:>{len(str(self.total))}}/{self.total}"
        outcomes = f"{sum(map(diverged, rows))} diverged, {sum(map(failed, rows))} failed"
        seconds = sum(row["seconds"] for row in rows)
        self.stream.write(f"{counter} {label}: {median}{outcomes} ({seconds:.1f} s)\n")
        self.stream.flush()

    def close(self):
        """Ends the bar's line."""
        if self.terminal and self.ticks:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}m{seconds:02d}s"
