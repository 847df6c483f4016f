"""`make` does what it says: train options passed on, typos refused, each backend cleaned alone.

These run `make` itself: dry runs (`-n`) to read the commands a target would run, and
`make clean` for real in a scratch folder laid out like a clone with two backends.
"""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE = ROOT / "Makefile"


def make(*arguments, cwd=ROOT):
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(MAKEFILE), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def commands(target, *variables):
    """The `iris-keras` commands `make TARGET` would run (a dry run: nothing runs)."""
    result = make("-n", target, *variables)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    return [line.split("/bin/", 1)[1] for line in lines if "/bin/iris-keras " in line]


def test_make_train_runs_both_recipes_with_their_defaults():
    assert [command.strip() for command in commands("train")] == [
        "iris-keras train --recipe article",
        "iris-keras train --recipe multiclass",
    ]


def test_make_train_passes_the_training_options_on():
    shown = commands(
        "train",
        "EPOCHS=5",
        "LEARNING_RATE=0.05",
        "MOMENTUM=0.5",
        "BATCH_SIZE=16",
        "UNITS=8,4",
        "SEED=7",
        "ARGS=--quiet",
        "RECIPES=multiclass",
    )
    assert shown == [
        "iris-keras train --recipe multiclass --epochs 5 --batch-size 16 --learning-rate 0.05 "
        "--momentum 0.5 --units 8,4 --seed 7 --quiet"
    ]


@pytest.mark.parametrize("typo", ["EPOCH=5", "epochs=5", "LR=0.1"])
def test_a_variable_no_target_reads_is_refused_in_one_line(typo):
    result = make("train", typo)
    assert result.returncode != 0 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert f"Received {typo}, which no target reads; expected one of ARGS, " in lines[0]
    assert all(f" {name}, " in lines[0] for name in ("BACKEND", "EPOCHS", "LEARNING_RATE"))


def test_the_learners_study_trains_afresh_into_runs_and_leaves_docs_alone():
    result = make("-n", "study", "BACKEND=tensorflow")
    study = [line for line in result.stdout.splitlines() if "iris-keras study" in line]
    assert len(study) == 1 and "--output runs/tensorflow/study" in study[0], study
    assert "docs/" not in result.stdout
    assert "rm -f runs/tensorflow/study/study.csv runs/tensorflow/study/study.json" in result.stdout


FOLDERS = (
    ".venv",
    ".venv-jax",
    "runs/tensorflow/article",
    "runs/jax/article",
    "build/book",
    "build/book-src",
    "build/book-jax",
    "build/book-jax-src",
    "build/.jupyter_cache-tensorflow",
    "build/.jupyter_cache-jax",
)


def clone_with_two_backends(folder):
    for name in FOLDERS:
        (folder / name).mkdir(parents=True)
        (folder / name / "file").write_text("kept?")
    return folder


def remaining(folder):
    return sorted(name for name in FOLDERS if (folder / name).exists())


def test_make_clean_removes_only_that_backends_environment_runs_book_and_cache(tmp_path):
    folder = clone_with_two_backends(tmp_path)
    result = make("clean", "BACKEND=jax", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert remaining(folder) == sorted(
        [
            ".venv",
            "runs/tensorflow/article",
            "build/book",
            "build/book-src",
            "build/.jupyter_cache-tensorflow",
        ]
    )


def test_make_clean_all_removes_every_backends(tmp_path):
    folder = clone_with_two_backends(tmp_path)
    result = make("clean-all", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert remaining(folder) == []
