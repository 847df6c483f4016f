"""The `iris-keras` command: train, evaluate, predict, the seed study and the sweep.

Usage and argument errors never import Keras or its backend (`parser`): the
heavy imports happen inside the commands, so `--help`, `--version` and a typo
answer at once. Errors are one line on stderr; exit status 2 for usage
errors, 1 for other failures, 130 when interrupted. `--debug` (or
`IRIS_KERAS_DEBUG=1`) shows the traceback.

`train`, `study` and `sweep` are the one writer of their `--output` folder while they
run (`folder_lock`): a second one on the same folder exits 1 at once, with a
line naming the process that holds it. `train` refuses a folder that holds a
run of other settings unless `--overwrite` (`app.overwrite`). `evaluate`
refuses a `model.keras` that the `metrics.json` beside it was not written
with.

`train` and `evaluate` say where the test accuracy falls among the seed
study's recorded seeds of the same settings (`study.reference`).

The clock of `train`'s summary starts here, before the command imports
anything heavy: its `elapsed` line counts the start-up a learner waits for.
"""

import time

STARTED = time.perf_counter()  # before every other import, on purpose

import os  # noqa: E402
import sys  # noqa: E402

from iris_keras.app.parser import (  # noqa: E402
    MEASUREMENT,
    PROG,
    build_parser,
    check_arguments,
)
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
    check_arguments(parser, args)
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
        data=args.data,
        target_column=args.target,
    )
    metrics = train_recipe(
        recipe,
        output_dir=args.output or default_output_dir(recipe),
        device=args.device,
        verbose=choose_verbose(quiet=args.quiet),
        fresh=args.fresh,
        tensorboard=args.tensorboard,
        distribute=args.distribute,
        replicas=args.replicas,
        command=command,
        started=started,
        overwrite=args.overwrite,
    )
    print(summary.training_summary(metrics, standing=_standing(metrics, metrics["test_accuracy"])))
    return 0 if metrics["reload_matches"] else 1


def _evaluate(args):
    from iris_keras.app import summary
    from iris_keras.app.loading import (
        check_model_matches_metrics,
        check_model_path,
        load_test_split,
        load_trained_model,
        recorded_metrics,
    )
    from iris_keras.evaluate import evaluate_model

    check_model_path(args.model)
    check_model_matches_metrics(args.model)
    model = load_trained_model(args.model)
    (x_test, y_test), names = load_test_split(args.model, model, args.data)
    scores = evaluate_model(model, x_test, y_test, class_names=names)
    standing = _standing(recorded_metrics(args.model), scores["test_accuracy"])
    print(summary.evaluation_summary(args.model, scores, names, standing=standing))
    return 0


def _standing(metrics, test_accuracy):
    """Where `test_accuracy` falls among the seed study's recorded seeds of the run's settings.

    Args:
        metrics: the run's `metrics.json`, or `None` when there is none.
        test_accuracy: the test accuracy to place.

    Returns:
        One line, e.g. `15 of 20 recorded seeds on tensorflow score 0.9667 or better`.
    """
    from iris_keras.app.overwrite import recorded_settings
    from iris_keras.study.reference import standing

    try:
        settings = recorded_settings(metrics)
    except (KeyError, TypeError):
        return "no reference: no metrics.json beside the model records its settings"
    return str(standing(settings, test_accuracy))


def _predict(args):
    from iris_keras.app.loading import check_model_path, load_trained_model
    from iris_keras.datasets.model_names import iris_names, read_names
    from iris_keras.predict import predict_class, read_measurements

    _check_model_given(args.model, args.measurements)
    # Before loading anything heavy: the names are in the archive's config, read as JSON.
    names = read_names(args.model) or iris_names(None)
    read_measurements(args.measurements, names)
    check_model_path(args.model)
    name, probability = predict_class(load_trained_model(args.model), args.measurements)
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
            f"Received no model file, expected `{PROG} predict MODEL {MEASUREMENT} "
            f"[{MEASUREMENT} ...]`, e.g. `{PROG} predict runs/tensorflow/article/model.keras "
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
