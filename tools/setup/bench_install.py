"""Times the install that `make install` did before uv against the one it does now.

Usage (from the repository root, after one `make install`, so that uv is there)::

    python3 tools/setup/bench_install.py [--repeats 3] [--clone]

Each timed run builds a new environment in a temporary folder on a warm cache (one
untimed run of each method warms it first), the runs of the methods interleaved:

- pip, as `make install` did: `python -m venv`, `pip install --upgrade "pip>=24"`,
  `pip install -r requirements.lock` (the last pip-freeze lock, read from git), the
  project editable;
- uv on the same pins: `uv venv`, `uv pip sync requirements.lock`, the project editable;
- uv on today's locks, as `make install` runs it: the TensorFlow dev lock (every layer,
  with hashes) and the runtime lock that `make train` installs.

`--clone` also times a fresh clone's `make train` (install and both trainings). It
prints a Markdown table: median seconds, every run, and each median against pip's.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".venv-tools" / "bin" / "uv"
PYTHON = sys._base_executable  # a Python with pip, as `make` uses
OLD_LOCK = "requirements.lock"


def old_lock(folder):
    """The last `requirements.lock` in git history (the commit before the one that removed it)."""
    removed = subprocess.run(
        ["git", "rev-list", "-n", "1", "HEAD", "--", OLD_LOCK],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    text = subprocess.run(
        ["git", "show", f"{removed}^:{OLD_LOCK}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    path = folder / OLD_LOCK
    path.write_text(text, encoding="utf-8")
    return path


def find_links():
    """uv's --find-links for what pip finds through PIP_FIND_LINKS (as the Makefile passes)."""
    return [
        arg
        for links in os.environ.get("PIP_FIND_LINKS", "").split()
        for arg in ("--find-links", links)
    ]


def pip_install(venv, lock):
    python = str(venv / "bin" / "python")
    return [
        [PYTHON, "-m", "venv", str(venv)],
        [python, "-m", "pip", "install", "--quiet", "--upgrade", "pip>=24"],
        [python, "-m", "pip", "install", "--quiet", "--requirement", str(lock)],
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--editable", "."],
    ]  # fmt: skip


def uv_install(venv, lock, *hashes):
    python = str(venv / "bin" / "python")
    return [
        [str(UV), "venv", "--quiet", "--python", PYTHON, str(venv)],
        [str(UV), "pip", "sync", "--quiet", "--python", python, *hashes, *find_links(), str(lock)],
        [str(UV), "pip", "install", "--quiet", "--python", python, *find_links(), "--no-deps",
         "--no-build-isolation", "--editable", "."],
    ]  # fmt: skip


def timed(commands, venv):
    """Seconds to run `commands` in order, from the repository root, `venv` removed first."""
    shutil.rmtree(venv, ignore_errors=True)
    started = time.perf_counter()
    for command in commands:
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    shutil.rmtree(venv, ignore_errors=True)
    return seconds


def count(lock):
    """The number of pins in a lock."""
    lines = Path(lock).read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if line[:1].isalnum())


def clone_to_trained(folder):
    """Seconds from `git clone` of this repository to both recipes trained (`make train`)."""
    clone = folder / "clone"
    started = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run(["make", "--no-print-directory", "train"], cwd=clone, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per method (3)")
    parser.add_argument("--clone", action="store_true", help="also time clone to make train")
    args = parser.parse_args(argv)
    if not UV.is_file():
        parser.error(f"{UV.relative_to(ROOT)} is missing: run `make install` first")
    with tempfile.TemporaryDirectory(prefix="bench-install-") as temporary:
        folder = Path(temporary)
        lock = old_lock(folder)
        methods = {
            f"pip, `{OLD_LOCK}` (`make install` before uv)": (pip_install, lock, ()),
            f"uv, `{OLD_LOCK}` (the same pins)": (uv_install, lock, ()),
            "uv, `requirements/tensorflow-dev.txt` (`make install LAYER=dev`)": (
                uv_install, ROOT / "requirements/tensorflow-dev.txt", ("--require-hashes",)
            ),
            "uv, `requirements/tensorflow.txt` (`make train`'s runtime layer)": (
                uv_install, ROOT / "requirements/tensorflow.txt", ("--require-hashes",)
            ),
        }  # fmt: skip
        runs = {name: [] for name in methods}
        for repeat in range(args.repeats + 1):  # the first round warms the caches
            for name, (install, lock_file, hashes) in methods.items():
                venv = folder / "venv"
                seconds = timed(install(venv, lock_file, *hashes), venv)
                if repeat:
                    runs[name].append(seconds)
                print(
                    f"{repeat or 'warm-up'}: {name}: {seconds:.1f} s",
                    file=sys.stderr,
                )
        clone = clone_to_trained(folder) if args.clone else None
        baseline = statistics.median(next(iter(runs.values())))
        print("| install, warm cache | pins | median s | runs (s) | vs pip |")
        print("|---|---|---|---|---|")
        for name, (_install, lock_file, _hashes) in methods.items():
            median = statistics.median(runs[name])
            each = ", ".join(f"{seconds:.1f}" for seconds in runs[name])
            ratio = baseline / median
            print(f"| {name} | {count(lock_file)} | {median:.1f} | {each} | {ratio:.1f}× |")
    if clone is not None:
        print(f"\nFresh clone to both recipes trained (`git clone` + `make train`): {clone:.1f} s")


if __name__ == "__main__":
    main()
