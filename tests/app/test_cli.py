"""The command line: end to end with a few epochs, and every bad input."""

import json
import re
import subprocess
import sys

import pytest

from iris_keras.app.cli import main
from tests.support.helpers import FEW_EPOCHS, cli_command


def run_cli(*args, env=None):
    """Runs `python -m iris_keras ARGS` in a fresh process."""
    return subprocess.run(
        cli_command(*args),
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_train_evaluate_predict_in_process(tmp_path, capsys):
    output = tmp_path / "run"
    assert (
        main(
            [
                "train",
                "--epochs",
                str(FEW_EPOCHS),
                "--output",
                str(output),
                "--quiet",
                "--positive-class",
                "setosa",
                "--device",
                "cpu",
                "--units",
                "5,2",
                "--no-standardize",
            ]
        )
        == 0
    )
    summary = capsys.readouterr().out
    assert "test accuracy" in summary and "identical" in summary and str(output) in summary
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["epochs_run"] == FEW_EPOCHS
    assert metrics["hyperparameters"]["units"] == [5, 2]
    assert metrics["hyperparameters"]["standardize"] is False
    _assert_trained_on(output / "model.keras", "setosa")

    assert main(["evaluate", str(output / "model.keras")]) == 0
    evaluation = capsys.readouterr().out
    metrics = json.loads((output / "metrics.json").read_text())
    assert f"test accuracy   {metrics['test_accuracy']:.4f}" in evaluation

    assert main(["predict", str(output / "model.keras"), "5.1", "3.5", "1.4", "0.2"]) == 0
    assert "setosa (probability" in capsys.readouterr().out


def _assert_trained_on(model_path, positive_class):
    """The model's labels are 1 exactly for `positive_class`'s flowers, and it says so."""
    import keras
    import numpy as np

    from iris_keras.app.loading import load_test_split
    from iris_keras.datasets import iris

    model = keras.models.load_model(model_path)
    assert model.name == f"iris_binary_{positive_class}"
    (_, y_test), names = load_test_split(model_path, model)
    assert names == (f"not {positive_class}", positive_class)
    _, (_, species) = iris.load_data(target="sparse")
    np.testing.assert_array_equal(y_test, species == iris.SPECIES.index(positive_class))


EPOCH_LINE = re.compile(
    r"epoch ([ \d]\d)/12  loss \d\.\d{4}  accuracy \d\.\d{4}  "
    r"val_loss \d\.\d{4}  val_accuracy \d\.\d{4}"
)
ELAPSED = re.compile(
    r"elapsed         \d+\.\d s since the command started \(imports \d+\.\d s, fit \d+\.\d s\)"
)


def test_train_into_a_pipe_prints_one_clean_line_per_epoch_then_the_summary(tmp_path, capsys):
    """Printing to a pipe or a file (capsys's stream is no terminal, as a pipe is not): one
    plain line per epoch. The terminal's progress bar needs a process of its own (below)."""
    status = main(["train", "--recipe", "multiclass", "--epochs", "12", "--output", str(tmp_path)])
    printed = capsys.readouterr().out
    assert status == 0
    lines = printed.splitlines()
    epochs = [EPOCH_LINE.fullmatch(line) for line in lines[:12]]
    assert [int(match[1]) for match in epochs if match] == list(range(1, 13))
    assert lines[12] == "recipe          multiclass"
    assert ELAPSED.fullmatch(next(line for line in lines if line.startswith("elapsed")))
    assert not set("\x1b\r\b") & set(printed)  # no colour, no carriage return, no backspace
    assert (tmp_path / "model.keras").is_file()


def test_train_on_a_terminal_shows_keras_progress_bar(tmp_path):
    """With stdout a terminal (a pseudo-terminal here), Keras draws its bar, as `fit` does."""
    import os
    import pty

    leader, follower = pty.openpty()
    command = cli_command("train", "--epochs", 2, "--output", tmp_path)
    with subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE) as process:
        os.close(follower)
        output = _read_until_closed(leader)
        assert process.wait(timeout=300) == 0, process.stderr.read()
    text = output.decode()
    assert "Epoch 1/2" in text and "Epoch 2/2" in text and "\u2501" in text  # Keras's bar: ━
    assert "epoch 1/2  loss" not in text  # the lines for a log, not for a terminal
    assert "recipe          article" in text


def _read_until_closed(descriptor):
    """Everything written to a pseudo-terminal until its last writer closes it."""
    import os

    chunks = []
    while True:
        try:
            chunk = os.read(descriptor, 65536)
        except OSError:  # EIO: the child closed the terminal (Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(descriptor)
    return b"".join(chunks)


def test_quiet_prints_no_progress_and_the_clock_starts_with_the_command(tmp_path, capsys):
    import time

    an_hour_ago = time.perf_counter() - 3600
    argv = ["train", "--epochs", "2", "--output", str(tmp_path), "--quiet", "--device", "cpu"]
    assert main(argv, started=an_hour_ago) == 0
    output = capsys.readouterr().out
    assert output.startswith("recipe          article\n")
    assert not re.search(r"(?im)^epoch\s+\d", output)  # no progress bar, no epoch lines
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["timings"]["total_seconds"] >= 3600  # counted from the command's start
    assert metrics["timings"]["imports_seconds"] >= 3600


USAGE_ERRORS = [
    pytest.param(["train", "--recipe", "binary"], "recipe='binary'", id="recipe"),
    pytest.param(["train", "--epochs", "0"], "epochs=0", id="epochs-zero"),
    pytest.param(["train", "--epochs", "ten"], "epochs='ten'", id="epochs-word"),
    pytest.param(["train", "--batch-size", "-1"], "batch_size=-1", id="batch-negative"),
    pytest.param(["train", "--learning-rate", "nan"], "learning_rate=nan", id="lr-nan"),
    pytest.param(["train", "--learning-rate", "0"], "learning_rate=0", id="lr-zero"),
    pytest.param(["train", "--learning-rate", "inf"], "learning_rate=inf", id="lr-inf"),
    pytest.param(["train", "--momentum", "1"], "momentum=1", id="momentum-one"),
    pytest.param(["train", "--positive-class", "rose"], "positive_class='rose'", id="species"),
    pytest.param(["train", "--device", "tpu"], "device='tpu'", id="device"),
    pytest.param(["train", "--seed", "-5"], "seed=-5", id="seed"),
    pytest.param(["train", "--units", "4,x"], "units='4,x'", id="units"),
    pytest.param(["train", "--bogus"], "unrecognized arguments: --bogus", id="unknown-option"),
    pytest.param(["fly"], "invalid choice: 'fly'", id="unknown-command"),
    pytest.param(["study", "--seeds", "0"], "seeds=0", id="study-seeds-zero"),
    pytest.param(["study", "--seeds", "many"], "seeds='many'", id="study-seeds-word"),
    pytest.param(["study", "--epochs", "-1"], "epochs=-1", id="study-epochs-negative"),
    pytest.param(["study", "--workers", "0"], "workers=0", id="study-workers-zero"),
    pytest.param(["study", "--variant", "article"], "variant='article'", id="study-variant"),
    pytest.param(["study", "--device", "cpu"], "unrecognized arguments", id="study-unknown-option"),
]


@pytest.mark.parametrize("argv, match", USAGE_ERRORS)
def test_usage_errors_exit_2_with_one_line(argv, match, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert match in error
    assert error.count("\n") == 1 and "Traceback" not in error


@pytest.mark.parametrize(
    "argv, status, match",
    [
        pytest.param(
            ["predict", "m.keras", "1", "2", "3"], 2, "Received 3 measurements", id="count"
        ),
        pytest.param(["predict", "m.keras", "1", "2", "3", "x"], 2, "petal_width='x'", id="word"),
        pytest.param(
            ["predict", "m.keras", "1", "2", "3", "-1"], 2, "petal_width='-1'", id="negative"
        ),
        pytest.param(
            ["predict", "m.keras", "inf", "2", "3", "1"], 2, "sepal_length='inf'", id="inf"
        ),
        pytest.param(
            ["predict", "missing.keras", "1", "2", "3", "1"], 1, "no such file", id="missing"
        ),
        pytest.param(["evaluate", "missing.keras"], 1, "no such file", id="evaluate-missing"),
    ],
)
def test_predict_and_evaluate_errors(argv, status, match, capsys):
    assert main(argv) == status
    error = capsys.readouterr().err
    assert match in error and error.count("\n") == 1


def test_not_a_model(tmp_path, capsys):
    fake = tmp_path / "model.keras"
    fake.write_text("not a zip")
    assert main(["evaluate", str(fake)]) == 1
    assert "expected a Keras model saved as a .keras archive" in capsys.readouterr().err


def test_output_that_is_a_file(tmp_path, capsys):
    file = tmp_path / "taken"
    file.write_text("")
    assert main(["train", "--epochs", "1", "--output", str(file)]) == 1
    assert "which is a file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, status, match",
    [
        pytest.param(["train", "--epochs", "-3"], 2, "epochs=-3", id="epochs"),
        pytest.param(["train", "--recipe", "Article"], 2, "recipe='Article'", id="recipe-case"),
        pytest.param(
            ["predict", "m.keras", "5", "3", "nan", "1"], 2, "petal_length='nan'", id="nan"
        ),
        pytest.param(
            ["predict", "m.keras", "5", "3", "1"], 2, "Received 3 measurements", id="count"
        ),
        pytest.param(["evaluate", "nowhere/model.keras"], 1, "no such file", id="missing-model"),
        pytest.param(
            ["train", "--output", "/proc/iris-keras"], 1, "created and written", id="unwritable"
        ),
        pytest.param(["train", "--output", "/dev/null"], 1, "which is a file", id="output-file"),
        pytest.param(
            ["predict", "6.3", "3.3", "6.0", "2.5"],
            2,
            "Received no model file, expected `iris-keras predict MODEL MEASUREMENT "
            "[MEASUREMENT ...]`",
            id="model-forgotten",
        ),
    ],
)
def test_errors_in_a_real_process_have_no_traceback(args, status, match):
    result = run_cli(*args)
    assert result.returncode == status
    assert match in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_debug_shows_the_traceback():
    result = run_cli("--debug", "evaluate", "nowhere/model.keras")
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_gpu_without_gpu_fails_clearly(tmp_path, capsys):
    from iris_keras import backend

    status = main(
        ["train", "--epochs", "1", "--device", "gpu", "--output", str(tmp_path), "--quiet"]
    )
    printed = capsys.readouterr()
    if backend.gpu_names():
        assert status == 0 and "GPU" in printed.out
    else:
        assert status == 1 and printed.err.count("\n") == 1
        assert "sees no GPU" in printed.err and "Traceback" not in printed.err
        assert not (tmp_path / "model.keras").exists()


def test_version_and_help_do_not_import_keras_or_a_backend():
    code = (
        "import sys, contextlib, io\n"
        "from iris_keras.app.cli import main\n"
        "argvs = (['--version'], ['--help'], ['train', '--help'], ['train', '--epochs', '0'],\n"
        "         ['study', '--help'], ['study', '--workers', '0'], ['sweep', '--help'],\n"
        "         ['sweep', '--momentum', '0.9', '0.9'])\n"
        "for argv in argvs:\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()), "
        "contextlib.redirect_stderr(io.StringIO()):\n"
        "        main(argv)\n"
        "import iris_keras.study.runner, iris_keras.study.atlas  # the grids' parent process\n"
        "roots = ('tensorflow', 'keras', 'jax', 'torch')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in roots))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_entry_point_leaves_fast_once_keras_is_loaded(monkeypatch):
    from iris_keras.app import cli

    exits = []
    monkeypatch.setattr(cli, "main", lambda started: 3 if started == cli.STARTED else 4)
    monkeypatch.setattr(cli.os, "_exit", exits.append)
    cli.run()  # this process has imported Keras: no orderly shutdown
    assert exits == [3]
    monkeypatch.delitem(sys.modules, "keras")
    with pytest.raises(SystemExit) as leaving:
        cli.run()  # `--help`, `--version`, usage errors: a plain exit
    assert leaving.value.code == 3 and exits == [3]


def _options(parser):
    """What `--help` shows of `parser` and its commands, without argparse's layout."""
    import argparse

    described = {"description": parser.description, "options": []}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            described["commands"] = {
                name: {"help": helps[name], **_options(command)}
                for name, command in action.choices.items()
            }
            continue
        described["options"].append(
            {
                "flags": action.option_strings or [action.dest],
                "action": type(action).__name__,
                "nargs": action.nargs,
                "default": repr(action.default),
                "choices": list(action.choices) if action.choices else None,
                "metavar": action.metavar,
                "help": action.help,
            }
        )
    return described


def test_every_option_and_its_help_are_as_recorded():
    """Each command, option, default and help line; record anew after a change you meant."""
    from iris_keras.app.parser import build_parser
    from tests.support.baseline import check_text

    check_text("cli-options.json", json.dumps(_options(build_parser()), indent=1) + "\n")


def _every_option(parser, command="iris-keras"):
    """`(command, action)` for every option of the parser and of each subcommand."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield from _every_option(subparser, name)
        elif action.option_strings:
            yield command, action


def test_every_option_of_every_command_says_its_default():
    from iris_keras.app.parser import build_parser

    argparse_own = ("help", "version")
    unsaid = [
        f"{command} {action.option_strings[-1]}"
        for command, action in _every_option(build_parser())
        if action.dest not in argparse_own and not re.search(r"\(default: .+\)$", action.help)
    ]
    assert unsaid == []


def test_the_synopsis_in_docs_cli_names_every_option():
    """docs/cli.md's synopsis block lists each option the parser has, and no other."""
    from pathlib import Path

    from iris_keras.app.parser import build_parser

    page = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    synopsis = page.split("```", 2)[1]
    written = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", synopsis))
    options = {action.option_strings[-1] for _, action in _every_option(build_parser())}
    assert written == options


def test_tensorboard_logs_are_written_into_the_run(tmp_path, capsys):
    import keras

    output = tmp_path / "run"
    argv = ["train", "--epochs", "2", "--output", str(output), "--quiet", "--tensorboard"]
    if keras.backend.backend() != "tensorflow":  # Keras's callback writes with tf.summary
        assert main(argv) == 2
        assert "Received tensorboard=True" in capsys.readouterr().err
        return
    assert main(argv) == 0
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["tensorboard_logs"] == str(output / "logs")
    for split in ("train", "validation"):
        assert any((output / "logs" / split).glob("events.out.tfevents.*")), split


def test_the_console_script_runs_this_command_line():
    """`iris-keras` (the script pip writes from pyproject.toml) starts `app.cli.run`."""
    from importlib.metadata import entry_points

    from iris_keras.app import cli

    [script] = entry_points(group="console_scripts", name="iris-keras")
    assert script.load() is cli.run
