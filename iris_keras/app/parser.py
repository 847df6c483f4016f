"""The `iris-keras` command's arguments: every option with its help line and its default.

Parsing imports neither Keras nor a backend, so `--help`, `--version` and a
typo answer at once. Each value goes through the same check a library call
makes (`iris_keras.errors`), so the CLI and the API refuse a bad value with
the same one-line message; argparse's own errors are one line too, exit
status 2.
"""

import argparse

from iris_keras import __version__
from iris_keras.app.distribute import STRATEGIES
from iris_keras.backend import BACKENDS
from iris_keras.common.machine import DEVICES
from iris_keras.datasets.iris import SPECIES
from iris_keras.errors import (
    UsageError,
    check_choice,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_unit_interval,
)
from iris_keras.recipes import RECIPES
from iris_keras.study.variants import SWEEP_AXES, SWEEP_EPOCHS, SWEEP_SEEDS, study_names

PROG = "iris-keras"
VARIANT_NAMES = tuple(study_names())
# A study on a table: its variants' names, whatever the table (`Variant.name`).
TABLE_VARIANT_NAMES = tuple(study_names(on_table=True))
# What `study` and `sweep` do on iris only: the study page, the reference, the atlas's page.
IRIS_ONLY = {"readme": "--readme", "reference": "--reference", "summary": "--summary"}
# `predict`'s values, one name in its usage line, its arguments and its errors.
MEASUREMENT = "MEASUREMENT"


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


def _positive_int(name):
    return _typed(int, lambda value: check_positive_int(name, value))


_learning_rate = _typed(float, lambda value: check_positive_float("learning_rate", value))
_momentum = _typed(
    float, lambda value: check_unit_interval("momentum", value, closed_low=True, closed_high=False)
)


def _units(text):
    try:
        widths = tuple(int(width) for width in text.split(","))
        return tuple(check_positive_int("units", width) for width in widths)
    except (ValueError, UsageError):
        raise argparse.ArgumentTypeError(
            "Received an invalid value for `units`, expected comma-separated positive "
            f"integers such as 4,3. Received: units={text!r}"
        ) from None


def _recipes_say(field):
    """What each recipe sets `field` to, e.g. `"article 100, multiclass 100"`."""
    values = {name: getattr(recipe, field) for name, recipe in RECIPES.items()}
    if field == "units":
        values = {name: ",".join(map(str, units)) for name, units in values.items()}
    if len(set(values.values())) == 1:
        return f"the recipe's, {next(iter(values.values()))}"
    return "the recipe's: " + ", ".join(f"{name} {value}" for name, value in values.items())


def build_parser():
    """The argument parser of `iris-keras`."""
    parser = _Parser(prog=PROG, description="The Keras iris tutorial, running and tested.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show tracebacks on errors (default: off, unless IRIS_KERAS_DEBUG=1)",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_train(commands.add_parser("train", help="train a recipe and write its artifacts"))
    evaluate = commands.add_parser("evaluate", help="evaluate a saved model on its test set")
    evaluate.add_argument("model", metavar="MODEL", help="a model.keras file")
    evaluate.add_argument(
        "--data",
        metavar="FILE",
        help="score a model of a table on this file's test split, split as training split "
        "it (default: the table the run recorded in metrics.json)",
    )
    _add_predict(
        commands.add_parser("predict", help="predict the species of one flower, or a table's class")
    )
    _add_study(
        commands.add_parser(
            "study", help="train every recipe variant on many seeds and report the spread"
        )
    )
    _add_sweep(
        commands.add_parser(
            "sweep",
            help="train every learning rate, momentum and batch size on many seeds: the atlas",
        )
    )
    return parser


def _add_train(train):
    train.add_argument(
        "--recipe",
        type=_choice("recipe", tuple(RECIPES)),
        default="article",
        help="article (faithful to §4) or multiclass (corrected) (default: article)",
    )
    _add_data(train)
    _add_hyperparameters(train)
    _add_positive_class(
        train,
        "the class labelled 1 of a binary target: a species of iris, article recipe; "
        "a class of --data, told from all the others, either recipe (default: virginica; "
        "with --data, the second of two classes, none for more)",
    )
    train.add_argument(
        "--no-standardize",
        dest="standardize",
        action="store_false",
        default=None,
        help="feed raw centimetres, as the article does (default: standardize inside the model)",
    )
    _add_run_options(train)


def _add_run_options(train):
    """Where and how a training run runs: its folder, device, distribution and output."""
    train.add_argument(
        "--output",
        metavar="FOLDER",
        help="output folder (default: runs/<backend>/<recipe>, then what differs from the "
        "recipe's settings, e.g. runs/tensorflow/article, runs/tensorflow/article-epochs20-lr0.05)",
    )
    train.add_argument(
        "--device",
        type=_choice("device", DEVICES),
        default="auto",
        help="auto (a GPU when the backend sees one), cpu or gpu (default: auto)",
    )
    _add_distribution(train)
    train.add_argument(
        "--quiet",
        action="store_true",
        help="no progress while training, the summary only (default: off: Keras's progress "
        "bar on a terminal, one plain line per epoch in a file or a pipe)",
    )
    train.add_argument(
        "--tensorboard",
        action="store_true",
        help="also write TensorBoard logs into <output>/logs/ (view them with make "
        "tensorboard) (default: off)",
    )
    train.add_argument(
        "--fresh",
        action="store_true",
        help="discard the backup of an interrupted run in --output instead of resuming it "
        "(default: off: resume it)",
    )
    train.add_argument(
        "--overwrite",
        action="store_true",
        help="replace a run of other settings that --output holds, finished or interrupted "
        "(default: off: refuse it; a run of the same settings is always replaced)",
    )


def _add_data(train):
    train.add_argument(
        "--data",
        metavar="FILE",
        help="train on your own table instead of iris: a CSV or TSV file with a header row, "
        "in UTF-8 or GB18030 (see docs/own-data.md) (default: iris)",
    )
    train.add_argument(
        "--target",
        metavar="COLUMN",
        help="the column of --data to predict; every other column is a measurement "
        "(default: none; required with --data)",
    )


def _add_positive_class(command, help):
    command.add_argument("--positive-class", metavar="NAME", help=help)


# `study --data` and `sweep --data`: the table, its target, its positive class.
GRID_POSITIVE_CLASS = (
    "with --data: a class told from all the others, in every run (default: the second of "
    "two classes, none for more)"
)


def _add_grid_data(grid):
    _add_data(grid)
    _add_positive_class(grid, GRID_POSITIVE_CLASS)


def check_arguments(parser, args):
    """What the parser cannot check option by option: `--data` with `--target`, and the rest.

    On iris, `train`'s `--positive-class` is a species; `study` and `sweep`
    take it with `--data` only (the study covers every species, the sweep
    the recipes as shipped), and their iris-only options without it; a
    study's `--variant` names a variant of its data. Exits as the
    commands' own usage errors do: one line, status 2.
    """
    if args.command not in ("train", "study", "sweep"):
        return
    problem = None
    if (args.data is None) != (args.target is None):
        given, missing = ("--data", "--target") if args.target is None else ("--target", "--data")
        problem = (
            f"argument {missing}: expected with {given}, e.g. --data wine.csv --target cultivar"
        )
    elif args.command != "train":
        problem = _grid_problem(args)
    elif args.data is None and args.positive_class is not None:
        try:
            check_choice("positive_class", args.positive_class, SPECIES)
        except UsageError as error:
            problem = f"argument --positive-class: {error}"
    if problem:
        command = args.command
        parser.exit(2, f"{PROG} {command}: error: {problem} (see `{PROG} {command} --help`)\n")


def _grid_problem(args):
    """What `study` and `sweep` refuse of their options together, or `None`."""
    if args.data is None:
        if args.positive_class is not None:
            return "argument --positive-class: expected with --data only"
        names = VARIANT_NAMES
    else:
        for name, flag in IRIS_ONLY.items():
            if getattr(args, name, None):
                return f"argument {flag}: expected without --data (it writes iris's pages)"
        names = TABLE_VARIANT_NAMES
    for variant in getattr(args, "variants", None) or ():
        if variant not in names:
            on = "a table" if args.data else "iris"
            return f"argument --variant: expected one of {', '.join(names)} on {on}, got {variant}"
    return None


def _add_hyperparameters(train):
    train.add_argument(
        "--epochs",
        type=_positive_int("epochs"),
        help=f"passes over the training data (default: {_recipes_say('epochs')})",
    )
    train.add_argument(
        "--batch-size",
        type=_positive_int("batch_size"),
        help=f"flowers per gradient step (default: {_recipes_say('batch_size')})",
    )
    train.add_argument(
        "--learning-rate",
        type=_learning_rate,
        help=f"SGD's step size (default: {_recipes_say('learning_rate')})",
    )
    train.add_argument(
        "--momentum",
        type=_momentum,
        help=f"SGD's momentum, in [0, 1) (default: {_recipes_say('momentum')})",
    )
    train.add_argument(
        "--units",
        type=_units,
        help=f"hidden layer widths, e.g. 4,3 (default: {_recipes_say('units')})",
    )
    train.add_argument(
        "--seed",
        type=_typed(int, lambda v: check_non_negative_int("seed", v)),
        help="the one seed of the split, the initial weights and the shuffles "
        f"(default: {_recipes_say('seed')})",
    )


def _add_distribution(train):
    train.add_argument(
        "--distribute",
        type=_choice("distribute", STRATEGIES),
        default="none",
        help="data-parallel training (TensorFlow): none, mirrored (one process, --replicas "
        "devices) or multi-worker (one process per worker, cluster in TF_CONFIG) "
        "(default: none)",
    )
    train.add_argument(
        "--replicas",
        type=_positive_int("replicas"),
        help="replicas of --distribute mirrored; the CPU is split when there are fewer "
        "devices (default: every GPU, else 2)",
    )


def _add_predict(predict):
    predict.add_argument("model", metavar="MODEL", help="a model.keras file")
    predict.add_argument(
        "measurements",
        nargs="+",
        metavar=MEASUREMENT,
        help="one per measurement the model takes, in the order of its data's columns, or each "
        "as name=value: for iris, sepal_length sepal_width petal_length petal_width in cm, "
        "e.g. 6.3 3.3 6.0 2.5 or petal_width=2.5 ...",
    )


def _add_study(study):
    _add_grid_data(study)
    study.add_argument(
        "--seeds",
        type=_positive_int("seeds"),
        default=10,
        help="seeds per variant, from 42 (default: 10)",
    )
    study.add_argument(
        "--epochs",
        type=_positive_int("epochs"),
        help="epochs per run (default: the recipes' 100)",
    )
    study.add_argument(
        "--variant",
        dest="variants",
        action="append",
        type=_choice("variant", tuple(dict.fromkeys(VARIANT_NAMES + TABLE_VARIANT_NAMES))),
        help="run only this variant, e.g. multiclass-std-4x3 (with --data: article-std-4x3...); "
        "repeatable (default: all 16; with --data, all 8)",
    )
    study.add_argument(
        "--output",
        metavar="FOLDER",
        help="output folder (default: runs/<backend>/study, e.g. runs/tensorflow/study; with "
        "--data wine.csv: runs/<backend>/wine-study)",
    )
    study.add_argument(
        "--readme",
        metavar="PAGE",
        help="also rewrite the block between <!-- study:start --> and <!-- study:end --> "
        "of PAGE (default: no page)",
    )
    study.add_argument(
        "--reference",
        metavar="FILE",
        help="also write the shipped recipes' test accuracies, this backend's entry, into "
        "FILE: the reference train and evaluate place a run among (make docs-study: "
        "iris_keras/study/reference.json) (default: no file)",
    )
    _add_grid_options(study)


def _listed(values):
    return " ".join(value if isinstance(value, str) else f"{value:g}" for value in values)


# The sweep's axes: option, what it sets (`SWEEP_AXES`' names), how a value is read.
_SWEEP_AXES = (
    ("--recipe", "recipes", _choice("recipe", tuple(RECIPES)), "the recipes, each as shipped"),
    ("--learning-rate", "learning_rates", _learning_rate, "SGD's step sizes"),
    ("--momentum", "momenta", _momentum, "SGD's momenta, in [0, 1)"),
    ("--batch-size", "batch_sizes", _positive_int("batch_size"), "flowers per gradient step"),
)


def _add_sweep(sweep):
    _add_grid_data(sweep)
    for flag, name, parse, what in _SWEEP_AXES:
        sweep.add_argument(
            flag,
            dest=name,
            nargs="+",
            type=parse,
            default=list(SWEEP_AXES[name]),
            help=f"{what} (default: {_listed(SWEEP_AXES[name])})",
        )
    sweep.add_argument(
        "--seeds",
        type=_positive_int("seeds"),
        default=SWEEP_SEEDS,
        help=f"seeds per grid point, from 42 (default: {SWEEP_SEEDS})",
    )
    sweep.add_argument(
        "--epochs",
        type=_positive_int("epochs"),
        default=SWEEP_EPOCHS,
        help=f"epochs per run, each one recorded (default: {SWEEP_EPOCHS})",
    )
    sweep.add_argument(
        "--output",
        metavar="FOLDER",
        help="output folder (default: runs/<backend>/sweep, e.g. runs/tensorflow/sweep; with "
        "--data wine.csv: runs/<backend>/wine-sweep)",
    )
    sweep.add_argument(
        "--summary",
        metavar="FILE",
        help="also write the atlas's summary for a page to FILE, e.g. docs/atlas/summary.npz "
        "(default: none)",
    )
    _add_grid_options(sweep)


def _add_grid_options(grid):
    """What `study` and `sweep` share: where and how their runs train."""
    grid.add_argument(
        "--workers",
        type=_positive_int("workers"),
        help="worker processes (default: one per CPU core)",
    )
    grid.add_argument(
        "--backend",
        type=_choice("backend", BACKENDS),
        help="the Keras backend of every run; it must be installed here (make study "
        "BACKEND=jax uses .venv-jax) (default: KERAS_BACKEND, else tensorflow)",
    )
    _add_grid_execution(grid)
    grid.add_argument(
        "--quiet", action="store_true", help="no progress bar on stderr (default: off)"
    )


def _add_grid_execution(study):
    """How a grid's runs are trained: stacked or per run, where, with what limit."""
    study.add_argument(
        "--per-run",
        action="store_true",
        help="train each run alone, one Keras model per run: the reference path, many times "
        "slower (default: the runs one model can hold, stacked in it)",
    )
    study.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the tasks on the Dask cluster of this scheduler, e.g. tcp://10.0.0.5:8786 "
        "(pip install 'iris-keras[study]'; see docs/study.md) (default: local worker processes)",
    )
    study.add_argument(
        "--time-limit",
        metavar="SECONDS",
        type=_typed(float, lambda v: check_positive_float("time_limit", v)),
        help="seconds one task may take (a stacked block of runs, or one run with --per-run); "
        "past it its runs are recorded as failed (default: no limit)",
    )
    study.add_argument(
        "--block",
        metavar="RUNS",
        type=_positive_int("block"),
        help="the most runs in one stacked task, to spread a stack over more workers "
        "(default: all the runs one model can stack, in one task)",
    )
