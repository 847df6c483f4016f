"""A grid of runs: its points, its seeds, its epochs, and the record it keeps.

The seed study and the sweep are one engine with two grids. A grid is a
list of points (`variants.Variant`: a recipe with some fields pinned) times
a list of seeds; `runner.run_grid` trains its runs in stacked tasks and
keeps one record, in its folder:

- `<name>.csv`: one row per run (`rows.COLUMNS`): the run's settings, its
  final figures (test accuracy and loss, epoch to 0.95, dead units,
  collapse), its time and its error, if any;
- `<name>.json`: what the grid spans (`seeds`, `epochs`, `variants`, a
  sweep's `axes`, and on a learner's table its `data`: path, SHA-256,
  column and class names) and every session that trained it (when, where, how,
  with which library versions);
- with `curves` (the sweep): `curves/*.npz`, one file per finished task,
  every epoch's scores of its runs (`atlas`).

The seed study is the grid of the 16 study variants whose only free axis
is the seed (`study_grid`); the sweep is the grid of learning rate x
momentum x batch size x seed of each recipe as shipped (`sweep_grid`).
Either grid trains on a learner's table with `tables=table_recipes(...)`:
each recipe on the file as `iris-keras train --data` makes it.

>>> grid = sweep_grid(learning_rates=[0.01, 0.1], momenta=[0.9], batch_sizes=[32], seeds=3)
>>> len(grid.runs), grid.epochs, grid.rows_name
(12, 200, 'sweep.csv')
>>> len(study_grid(seeds=20).runs), study_grid().metadata_name
(320, 'study.json')
"""

import dataclasses

from iris_keras.common.artifacts import sha256_of
from iris_keras.errors import check_positive_int
from iris_keras.recipes import RECIPES, get_recipe
from iris_keras.recipes.own_data import from_record, table_record
from iris_keras.seeding import DEFAULT_SEED
from iris_keras.study.variants import (
    SWEEP_AXES,
    SWEEP_EPOCHS,
    SWEEP_SEEDS,
    study_variants,
    sweep_variants,
)

FIRST_SEED = DEFAULT_SEED
DEFAULT_SEEDS = 10  # the study's, per variant
CURVES_DIR = "curves"


@dataclasses.dataclass(frozen=True)
class Grid:
    """The runs of a study or a sweep, and the names of their record.

    Attributes:
        name: `"study"` or `"sweep"`: it names the record's files.
        variants: the grid's points, `Variant`s.
        seeds: the seeds of every point.
        epochs: epochs per run, or `None` for the recipes' own.
        curves: whether each run's every epoch is recorded (`run_curves`).
        axes: what a sweep spans (`recipes`, `learning_rates`, `momenta`,
            `batch_sizes`), written into its JSON; empty for the study.
        data: the learner's table the grid trains on (`table_record`, with
            the `positive_class` given, if any), written into its JSON;
            empty for iris.
    """

    name: str
    variants: tuple
    seeds: tuple
    epochs: int | None = None
    curves: bool = False
    axes: dict = dataclasses.field(default_factory=dict)
    data: dict = dataclasses.field(default_factory=dict)

    @property
    def runs(self):
        """Every `(variant, seed)`, seed by seed."""
        return [(variant, seed) for seed in self.seeds for variant in self.variants]

    @property
    def rows_name(self):
        """The rows' file, e.g. `"study.csv"`."""
        return f"{self.name}.csv"

    @property
    def metadata_name(self):
        """The metadata's file, e.g. `"study.json"`."""
        return f"{self.name}.json"

    def describe(self):
        """What `<name>.json` records of the grid itself."""
        epochs = self.epochs or (
            self.variants[0].to_recipe(seed=0).epochs if self.variants else None
        )
        described = {
            "seeds": list(self.seeds),
            "epochs": epochs,
            "variants": [variant.name for variant in self.variants],
        }
        if self.axes:
            described["axes"] = self.axes
        return {**described, **({"data": self.data} if self.data else {})}


def grid_seeds(seeds):
    """The seeds of a grid with `seeds` seeds per point: 42, 43, ...

    Seeds start at the recipes' default seed 42, so the run that `make
    train` does is one of the grid's.

    Example:
    >>> grid_seeds(3)
    (42, 43, 44)
    """
    seeds = check_positive_int("seeds", seeds)
    return tuple(range(FIRST_SEED, FIRST_SEED + seeds))


def study_grid(*, seeds=DEFAULT_SEEDS, epochs=None, variants=None, tables=None):
    """The seed study: every study variant on `seeds` seeds.

    Args:
        seeds: seeds per variant, a positive integer. Defaults to `10`.
        epochs: epochs per run; `None` keeps the recipes' 100. Defaults to `None`.
        variants: the `Variant`s. Defaults to `variants.study_variants(tables=tables)`.
        tables: each recipe on a learner's table (`table_recipes`), or
            `None` for iris. Defaults to `None`.

    Returns:
        A `Grid` named `"study"`, without curves.
    """
    variants = study_variants(tables=tables) if variants is None else variants
    epochs = None if epochs is None else check_positive_int("epochs", epochs)
    return Grid("study", tuple(variants), grid_seeds(seeds), epochs, data=_record(tables))


def sweep_grid(*, seeds=SWEEP_SEEDS, epochs=SWEEP_EPOCHS, tables=None, **axes):
    """The sweep: each recipe as shipped, at every point of its axes, on `seeds` seeds.

    Args:
        seeds: seeds per point, a positive integer. Defaults to `20`.
        epochs: epochs per run, a positive integer. Defaults to `200`.
        tables: each recipe on a learner's table (`table_recipes`), or
            `None` for iris. Defaults to `None`.
        **axes: `recipes`, `learning_rates`, `momenta` and `batch_sizes`, as
            for `variants.sweep_variants`; each defaults to `SWEEP_AXES`'.

    Returns:
        A `Grid` named `"sweep"`, with curves: 6,000 runs with the defaults.

    Raises:
        UsageError: a bad axis or value.
    """
    axes = {name: list(axes.get(name, values)) for name, values in SWEEP_AXES.items()}
    variants = sweep_variants(**axes, tables=tables)
    epochs = check_positive_int("epochs", epochs)
    return Grid(
        "sweep", tuple(variants), grid_seeds(seeds), epochs, True, axes, data=_record(tables)
    )


def table_recipes(data, *, target, positive_class=None, recipes=tuple(RECIPES)):
    """Each recipe on a learner's table, as `iris-keras train --data` makes it.

    Reads the file (once per recipe) and refuses a bad one, or one whose
    classes are too small for a recipe's splits, before anything is written.

    Args:
        data: the CSV or TSV file.
        target: the column to predict.
        positive_class: a class to tell from the rest, or `None` to let the
            classes decide the target. Defaults to `None`.
        recipes: the recipes' names. Defaults to both.

    Returns:
        A dict from each recipe's name to its `Recipe` on the table.

    Raises:
        UsageError: what `table.load_data` refuses.
    """
    return {
        name: get_recipe(name, data=data, target_column=target, positive_class=positive_class)
        for name in recipes
    }


def recorded_tables(metadata):
    """The `table_recipes` a grid's JSON records (the file is not read), or `None` for iris."""
    if "data" not in metadata:
        return None
    names = metadata.get("axes", {}).get("recipes", tuple(RECIPES))
    return {name: from_record(RECIPES[name], metadata["data"]) for name in names}


def _record(tables):
    """What a grid's JSON records of its table (`table_record`, positive class); `{}` for iris."""
    if not tables:
        return {}
    recipe = next(iter(tables.values()))
    record = table_record(recipe, sha256=sha256_of(recipe.data))
    return {
        **record,
        "positive_class": recipe.positive_class if recipe.target == "binary" else None,
    }
