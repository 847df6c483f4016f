"""The `iris-keras` command: train, evaluate, predict, the seed study and the sweep.

Usage and argument errors never import Keras or its backend (`parser`): the
heavy imports happen inside the commands, so `--help`, `--version` and a typo
answer at once. Errors are one line on stderr; exit status 2 for usage
errors, 1 for other failures, 130 when interrupted. `--debug` (or
`IRIS_KERAS_DEBUG=1`) shows the traceback.

`train`, `study` and `sweep` are the one writer of their `--output` folder while they
run (`folder_lock`): a second one on the same folder exits 1 at once, with a
line naming the process that holds it. `evaluate` refuses a `model.keras`
that the `metrics.json` beside it was not written with.

The clock of `train`'s summary starts here, before the command imports
anything heavy: its `elapsed` line counts the start-up a learner waits for.
"""

import time

STARTED = time.perf_counter()  # before every other import, on purpose

import os  # noqa: E402
import sys  # noqa: E402

from iris_keras.app.parser import PROG, build_parser  # noqa: E402
from iris_keras.errors import IrisKerasError, UsageError  # noqa: E402


def main(argv=None, *, started=None):
    """Runs the command line; returns the exit status.

    Args:
        argv: the arguments after the program's name. Defaults to `sys.argv[1:]`.
        started: the `time.perf_counter()` the command started at; `run`
            passes the moment this module started loading. Defaults to now.
    """
    started = time.perf_counter() if started is None else started
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's C++ log noise
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("IRIS_KERAS_DEBUG") == "1"
    try:
        if args.command == "train":
            return _train(args, _command_line(argv), started)
        if args.command == "evaluate":
            return _evaluate(args)
        if args.command in ("study", "sweep"):
            from iris_keras.app.grid_commands import COMMANDS

            return COMMANDS[args.command](args, _command_line(argv))
        return _predict(args)
    except IrisKerasError as error:
        if debug:
            raise
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2 if isinstance(error, UsageError) else 1
    except KeyboardInterrupt:
        print(
            f"{PROG}: interrupted; no artifact was replaced. Rerun the same command "
            "to resume from the last finished epoch.",
            file=sys.stderr,
        )
        return 130
    except Exception as error:
        if debug:
            raise
        message = " ".join(str(error).split())[:300]
        print(
            f"{PROG}: error: {type(error).__name__}: {message} "
            "(rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


def _command_line(argv):
    """This command as a user typed it, for the lock file a refused second run reads."""
    import shlex

    return shlex.join([PROG, *(sys.argv[1:] if argv is None else argv)])


def _train(args, command, started):
    from iris_keras.app import summary
    from iris_keras.app.epoch_lines import choose_verbose
    from iris_keras.app.outputs import default_output_dir
    from iris_keras.app.run import train_recipe
    from iris_keras.recipes import get_recipe

    recipe = get_recipe(
        args.recipe,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        momentum=args.momentum,
        positive_class=args.positive_class,
        units=args.units,
        standardize=args.standardize,
        seed=args.seed,
    )
    metrics = train_recipe(
        recipe,
        output_dir=args.output or default_output_dir(recipe.name),
        device=args.device,
        verbose=choose_verbose(quiet=args.quiet),
        fresh=args.fresh,
        tensorboard=args.tensorboard,
        distribute=args.distribute,
        replicas=args.replicas,
        command=command,
        started=started,
    )
    print(summary.training_summary(metrics))
    return 0 if metrics["reload_matches"] else 1


def _evaluate(args):
    from iris_keras.app import summary
    from iris_keras.app.loading import (
        check_model_matches_metrics,
        check_model_path,
        load_trained_model,
    )

    check_model_path(args.model)
    check_model_matches_metrics(args.model)
    model = load_trained_model(args.model)
    print(summary.evaluation_summary(args.model, model))
    return 0


def _predict(args):
    from iris_keras.app.loading import check_model_path, load_trained_model
    from iris_keras.predict import check_measurements, predict_species

    _check_model_given(args.model, args.measurements)
    check_measurements(args.measurements)  # before loading anything heavy
    check_model_path(args.model)
    name, probability = predict_species(load_trained_model(args.model), args.measurements)
    print(f"{name} (probability {probability:.3f})")
    return 0


def _check_model_given(model, measurements):
    """Refuses `predict 6.3 3.3 6.0 2.5`: the model file forgotten, a measurement taken for it."""
    from pathlib import Path

    try:
        float(model)
    except ValueError:
        return
    if not Path(model).exists():
        given = " ".join([model, *measurements])
        raise UsageError(
            f"Received no model file, expected `{PROG} predict MODEL SEPAL_LENGTH SEPAL_WIDTH "
            f"PETAL_LENGTH PETAL_WIDTH`, e.g. `{PROG} predict runs/tensorflow/article/model.keras "
            f"6.3 3.3 6.0 2.5`. Received: {given}"
        )


def run():
    """The console entry point: `main`, then a fast exit once Keras's backend is loaded.

    With TensorFlow imported, Python's orderly shutdown (tearing down
    thousands of modules and TensorFlow's thread pools) takes about a
    second, longer than training the article's network. By then every
    artifact is written and closed, so the process flushes its output and
    leaves with `os._exit`, on every backend.
    """
    status = main(started=STARTED)  # the clock started as this module loaded
    if "keras" not in sys.modules:
        sys.exit(status)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
