"""The `iris-keras` command: train, evaluate, predict, and the seed study.

Usage and argument errors never import Keras or its backend: the heavy imports happen
inside the commands, so `--help`, `--version` and a typo answer at once.
Errors are one line on stderr; exit status 2 for usage errors, 1 for other
failures, 130 when interrupted. `--debug` (or `IRIS_KERAS_DEBUG=1`) shows
the traceback.

`train` and `study` are the one writer of their `--output` folder while they
run (`folder_lock`): a second one on the same folder exits 1 at once, with a
line naming the process that holds it. `evaluate` refuses a `model.keras`
that the `metrics.json` beside it was not written with.
"""

import argparse
import contextlib
import os
import sys

from iris_keras import __version__
from iris_keras.datasets.iris import SPECIES
from iris_keras.distribute import STRATEGIES, check_distribute, is_chief
from iris_keras.errors import (
    IrisKerasError,
    UsageError,
    check_choice,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_unit_interval,
)
from iris_keras.quiet_import import import_backend_quietly
from iris_keras.study import study_variants

PROG = "iris-keras"
VARIANT_NAMES = tuple(variant.name for variant in study_variants())


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _typed(parse, check):
    """An argparse `type` that parses a string, then runs one of our checks."""

    def convert(text):
        try:
            value = parse(text)
        except ValueError:
            value = text
        try:
            return check(value)
        except UsageError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def _choice(name, choices):
    return _typed(str, lambda value: check_choice(name, value, choices))


def _units(text):
    try:
        widths = tuple(int(width) for width in text.split(","))
        return tuple(check_positive_int("units", width) for width in widths)
    except (ValueError, UsageError):
        raise argparse.ArgumentTypeError(
            "Received an invalid value for `units`, expected comma-separated positive "
            f"integers such as 4,3. Received: units={text!r}"
        ) from None


def build_parser():
    """The argument parser of `iris-keras`."""
    parser = _Parser(prog=PROG, description="The Keras iris tutorial, running and tested.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train a recipe and write its artifacts")
    train.add_argument(
        "--recipe",
        type=_choice("recipe", ("article", "multiclass")),
        default="article",
        help="article (faithful) or multiclass (corrected)",
    )
    train.add_argument("--epochs", type=_typed(int, lambda v: check_positive_int("epochs", v)))
    train.add_argument(
        "--batch-size", type=_typed(int, lambda v: check_positive_int("batch_size", v))
    )
    train.add_argument(
        "--learning-rate", type=_typed(float, lambda v: check_positive_float("learning_rate", v))
    )
    train.add_argument(
        "--momentum",
        type=_typed(
            float, lambda v: check_unit_interval("momentum", v, closed_low=True, closed_high=False)
        ),
    )
    train.add_argument(
        "--positive-class",
        type=_choice("positive_class", SPECIES),
        help="the species of the binary target (article recipe)",
    )
    train.add_argument("--units", type=_units, help="hidden layer widths, e.g. 4,3")
    train.add_argument(
        "--no-standardize",
        dest="standardize",
        action="store_false",
        default=None,
        help="feed raw centimetres, as the article does",
    )
    train.add_argument("--seed", type=_typed(int, lambda v: check_non_negative_int("seed", v)))
    train.add_argument("--output", help="output folder (default: runs/<recipe>)")
    train.add_argument("--device", type=_choice("device", ("auto", "cpu", "gpu")), default="auto")
    train.add_argument(
        "--distribute",
        type=_choice("distribute", STRATEGIES),
        default="none",
        help="data-parallel training (TensorFlow): none, mirrored (one process, --replicas "
        "devices) or multi-worker (one process per worker, cluster in TF_CONFIG)",
    )
    train.add_argument(
        "--replicas",
        type=_typed(int, lambda v: check_positive_int("replicas", v)),
        help="replicas of --distribute mirrored; the CPU is split when there are fewer "
        "devices (default: every GPU, else 2)",
    )
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.add_argument(
        "--tensorboard",
        action="store_true",
        help="also write TensorBoard logs into <output>/logs/ (view them with make tensorboard)",
    )
    train.add_argument(
        "--fresh",
        action="store_true",
        help="discard the backup of an interrupted run in --output instead of resuming it",
    )

    evaluate = commands.add_parser("evaluate", help="evaluate a saved model on its test set")
    evaluate.add_argument("model", help="a model.keras file")

    predict = commands.add_parser("predict", help="predict the species of one flower")
    predict.add_argument("model", help="a model.keras file")
    predict.add_argument(
        "measurements",
        nargs="*",
        metavar="CM",
        help="SEPAL_LENGTH SEPAL_WIDTH PETAL_LENGTH PETAL_WIDTH, in cm",
    )
    study = commands.add_parser(
        "study", help="train every recipe variant on many seeds and report the spread"
    )
    study.add_argument(
        "--seeds",
        type=_typed(int, lambda v: check_positive_int("seeds", v)),
        default=10,
        help="seeds per variant, from 42 (default: 10)",
    )
    study.add_argument(
        "--epochs",
        type=_typed(int, lambda v: check_positive_int("epochs", v)),
        help="epochs per run (default: the recipes' 100)",
    )
    study.add_argument(
        "--variant",
        dest="variants",
        action="append",
        type=_choice("variant", VARIANT_NAMES),
        help="run only this variant, e.g. multiclass-std-4x3 (repeatable; default: all 16)",
    )
    study.add_argument("--output", default="study", help="output folder (default: study/)")
    study.add_argument(
        "--workers",
        type=_typed(int, lambda v: check_positive_int("workers", v)),
        help="worker processes (default: one per CPU core)",
    )
    study.add_argument(
        "--readme",
        help="also rewrite the block between <!-- study:start --> and <!-- study:end --> here",
    )
    study.add_argument(
        "--backend",
        type=_choice("backend", ("tensorflow", "jax", "torch")),
        help="the Keras backend of every run (default: KERAS_BACKEND, else tensorflow); "
        "it must be installed here (make study BACKEND=jax uses .venv-jax)",
    )
    study.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv=None):
    """Runs the command line; returns the exit status."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's C++ log noise
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("IRIS_KERAS_DEBUG") == "1"
    try:
        if args.command == "train":
            check_distribute(args.distribute, args.replicas)
            return _train(args, _command_line(argv))
        if args.command == "evaluate":
            return _evaluate(args)
        if args.command == "study":
            return _study(args, _command_line(argv))
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


def _train(args, command):
    from iris_keras import report
    from iris_keras.artifacts import claim_output_dir
    from iris_keras.recipes import get_recipe
    from iris_keras.run import default_output_dir, train_recipe

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
    # The folder's lock before the TensorFlow import: a second run on a busy
    # folder is refused at once; `train_recipe` holds the same lock again. In a
    # multi-worker run only the chief writes (and locks) the folder.
    output = args.output or default_output_dir(recipe.name)
    claim = (
        claim_output_dir(output, command=command)
        if is_chief(args.distribute)
        else contextlib.nullcontext(output)
    )
    with claim as out:
        import_backend_quietly()
        metrics = train_recipe(
            recipe,
            output_dir=out,
            device=args.device,
            verbose=0 if args.quiet else "auto",
            fresh=args.fresh,
            tensorboard=args.tensorboard,
            distribute=args.distribute,
            replicas=args.replicas,
        )
    print(report.training_summary(metrics))
    return 0 if metrics["reload_matches"] else 1


def _evaluate(args):
    from iris_keras import report
    from iris_keras.loading import (
        check_model_matches_metrics,
        check_model_path,
        load_trained_model,
    )

    check_model_path(args.model)
    check_model_matches_metrics(args.model)
    import_backend_quietly()
    model = load_trained_model(args.model)
    print(report.evaluation_summary(args.model, model))
    return 0


def _study(args, command):
    from iris_keras.artifacts import claim_output_dir

    with claim_output_dir(args.output, command=command):  # study.csv, summary, plot: one writer
        return _study_in(args)


def _study_in(args):
    from iris_keras import study_report
    from iris_keras.study_runner import CSV_NAME, DEFAULT_WORKERS, run_study

    if args.backend:
        from iris_keras import backend

        backend.use(args.backend)
    names = set(args.variants or VARIANT_NAMES)
    variants = [variant for variant in study_variants() if variant.name in names]
    try:
        rows, metadata = run_study(
            args.output,
            seeds=args.seeds,
            epochs=args.epochs,
            workers=args.workers or DEFAULT_WORKERS,
            variants=variants,
            progress_stream=None if args.quiet else sys.stderr,
        )
    except KeyboardInterrupt:
        print(
            f"{PROG}: interrupted; every finished run is in {args.output}/{CSV_NAME}, "
            "and a rerun continues from there",
            file=sys.stderr,
        )
        return 130
    summary, plot = study_report.write_report(args.output, rows, metadata, variants)
    print(study_report.summary_text(study_report.summarize(rows, variants)))
    print(f"\nrows     {args.output}/{CSV_NAME}\nsummary  {summary}\nplot     {plot}")
    if args.readme:
        study_report.update_readme(args.readme, args.output, rows, metadata, variants)
        print(f"readme   {args.readme} (study block rewritten)")
    return 0


def _predict(args):
    from iris_keras.loading import check_model_path, load_trained_model
    from iris_keras.predict import check_measurements, predict_species

    check_measurements(args.measurements)  # before loading anything heavy
    check_model_path(args.model)

    import_backend_quietly()
    name, probability = predict_species(load_trained_model(args.model), args.measurements)
    print(f"{name} (probability {probability:.3f})")
    return 0


def run():
    """The console entry point: `main`, then a fast exit once Keras's backend is loaded.

    With TensorFlow imported, Python's orderly shutdown (tearing down
    thousands of modules and TensorFlow's thread pools) takes about a
    second, longer than training the article's network. By then every
    artifact is written and closed, so the process flushes its output and
    leaves with `os._exit`, on every backend.
    """
    status = main()
    if "keras" not in sys.modules:
        sys.exit(status)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
