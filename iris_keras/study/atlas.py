"""The sweep's atlas: every run's every epoch, on disk, as arrays, and summarized for a page.

`iris-keras sweep` writes, into its folder (`runs/<backend>/sweep/` by
default), beside `sweep.csv` and `sweep.json` (`grid`):

- `curves/<session>-<task>.npz`, one compressed NumPy file per finished
  task (`CurvesWriter`): `variants` (str, one per run), `seeds` (int) and
  `curves`, float32 of shape `(7, runs, epochs)`, the `run_curves.CURVES`
  in order: `loss`, `accuracy`, `val_loss`, `val_accuracy`, `test_loss`,
  `test_accuracy`, `collapsed` (1 or 0), NaN from the epoch a run diverged
  at. 6,000 runs of 200 epochs take about 30 MB.

`load_atlas` gathers them into one `Atlas`: each curve an array over the
grid's axes, recipe x learning rate x momentum x batch size x seed x epoch,
a run retried in a later session read from its latest file (`gather_atlas`
does the same for runs trained in this process, as a notebook trains a
small grid). Because each
epoch's shuffle depends only on the seed and the epoch, epoch E of a
200-epoch run is the E-epoch run: the atlas answers `iris-keras train
--epochs E` for every E up to 200.

`summarize_atlas` reduces it to what a page shows, per recipe, grid point
and epoch: each curve's median over the seeds and its band (the lowest and
highest seed), every seed's test accuracy (as right answers out of the test
flowers), and how many seeds diverged or collapsed; `write_summary` keeps it
in one compressed `.npz` of a few MB (`make docs-atlas`:
`docs/atlas/summary.npz`).
"""

import dataclasses
import json
import uuid
import warnings
from pathlib import Path

import numpy as np

from iris_keras.common import artifacts
from iris_keras.errors import IrisKerasError
from iris_keras.study.grid import CURVES_DIR, recorded_tables
from iris_keras.study.rows import failed, read_rows
from iris_keras.study.run_curves import CURVES

AXES = ("recipes", "learning_rates", "momenta", "batch_sizes")
BANDED = CURVES[:-1]  # every curve but `collapsed`, with its median and band
UNSCORED = 255  # `test_correct` of a run without a score at that epoch: diverged or missing
TEST_FLOWERS = 30  # every recipe's test split: 20% of the 150 flowers


class CurvesWriter:
    """Writes each finished task's curves to its own file in `folder`, atomically.

    Args:
        folder: the sweep's `curves/` folder; created if missing.
        session: the session's start, e.g. `"2026-12-07T12:00:00+00:00"`:
            files sort in the order they were written.
    """

    def __init__(self, folder, session):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        for leftover in self.folder.glob(".tmp-*"):  # from a session killed mid-write
            leftover.unlink(missing_ok=True)
        stamp = "".join(character for character in session if character.isdigit())[:14]
        self.prefix, self.count = f"{stamp}-{uuid.uuid4().hex[:6]}", 0

    def write(self, rows, curves):
        """Writes the curves of a task's rows (`None` for a run that has none)."""
        kept = [(row, found) for row, found in zip(rows, curves, strict=True) if found]
        if not kept:
            return
        self.count += 1
        path = self.folder / f"{self.prefix}-{self.count:04d}.npz"
        with artifacts.atomic_path(path) as temporary:
            np.savez_compressed(
                temporary,
                variants=np.array([row["variant"] for row, _ in kept]),
                seeds=np.array([row["seed"] for row, _ in kept]),
                curves=np.stack(
                    [np.stack([found[name] for _, found in kept]) for name in CURVES]
                ).astype(np.float32),
            )


@dataclasses.dataclass
class Atlas:
    """A sweep's runs as arrays over its axes.

    Attributes:
        axes: `recipes`, `learning_rates`, `momenta`, `batch_sizes`, `seeds`
            (lists) and `epochs` (an int), as `sweep.json` records them.
        curves: `{name: float32 array (recipes, learning rates, momenta,
            batch sizes, seeds, epochs)}` for each of `run_curves.CURVES`;
            NaN where a run diverged or is missing.
        recorded: bool array `(recipes, ..., seeds)`: the run finished or
            diverged (failed and missing runs are not).
        diverged: int array, same shape: the epoch (from 1) the run
            diverged at, 0 for a run that never did.
        metadata: the contents of `sweep.json`.
    """

    axes: dict
    curves: dict
    recorded: np.ndarray
    diverged: np.ndarray
    metadata: dict


def load_atlas(folder):
    """The sweep in `folder` (`sweep.json`, `sweep.csv`, `curves/`) as an `Atlas`.

    A sweep on a learner's table is read from its record alone: the table
    need not be there.

    Raises:
        IrisKerasError: `folder` holds no sweep.
    """
    folder = Path(folder)
    try:
        metadata = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise IrisKerasError(
            f"Received {folder}, expected the folder of a sweep (its sweep.json); it has none. "
            "Run `iris-keras sweep --output FOLDER` first."
        ) from None
    return gather_atlas(metadata, read_rows(folder / "sweep.csv"), _curves_in(folder / CURVES_DIR))


def _curves_in(folder):
    """`(variant, seed, {curve: values})` of every run in the `CurvesWriter` files of `folder`."""
    for path in sorted(Path(folder).glob("*.npz")):
        with np.load(path) as found:
            for variant, seed, values in zip(
                found["variants"], found["seeds"], found["curves"].swapaxes(0, 1), strict=True
            ):
                yield str(variant), int(seed), dict(zip(CURVES, values, strict=True))


def gather_atlas(metadata, rows, curves):
    """An `Atlas` of a sweep's runs, from its metadata, its rows and its runs' curves.

    Args:
        metadata: what `sweep.json` holds of the grid (`axes`, `seeds`,
            `epochs`): `grid.Grid.describe()`.
        rows: the runs' rows (`rows.COLUMNS`): a failed run is not recorded.
        curves: `(variant name, seed, {curve: values per epoch})` per run, a
            later one replacing an earlier one of the same run.

    Returns:
        An `Atlas` over the axes of `metadata`; what falls outside them is left out.
    """
    from iris_keras.study.variants import sweep_variants

    axes = {**metadata["axes"], "seeds": metadata["seeds"], "epochs": metadata["epochs"]}
    shape = tuple(len(axes[name]) for name in (*AXES, "seeds"))
    place = {
        variant.name: tuple(
            axes[name].index(value)
            for name, value in zip(AXES, (variant.recipe, *variant.hyperparameters), strict=True)
        )
        for variant in sweep_variants(
            **{name: axes[name] for name in AXES}, tables=recorded_tables(metadata)
        )
    }
    seed_index = {seed: index for index, seed in enumerate(axes["seeds"])}
    found = {name: np.full((*shape, axes["epochs"]), np.nan, np.float32) for name in CURVES}
    recorded = np.zeros(shape, bool)
    for row in rows:
        if row["variant"] in place and row["seed"] in seed_index and not failed(row):
            recorded[(*place[row["variant"]], seed_index[row["seed"]])] = True
    for variant, seed, values in curves:
        if variant in place and seed in seed_index:
            where = (*place[variant], seed_index[seed])
            for name in CURVES:
                found[name][where] = np.asarray(values[name])[: axes["epochs"]]
    for name in CURVES:
        found[name][~recorded] = np.nan
    stopped = np.isnan(found["loss"]).any(axis=-1) & recorded
    first_nan = np.argmax(np.isnan(found["loss"]), axis=-1) + 1
    return Atlas(axes, found, recorded, np.where(stopped, first_nan, 0), metadata)


def summarize_atlas(atlas, *, test_size=TEST_FLOWERS):
    """What a page shows of an atlas, per recipe, grid point and epoch.

    Args:
        atlas: an `Atlas`.
        test_size: the test flowers of a run. Defaults to `30`.

    Returns:
        A dict of arrays over `(recipes, learning rates, momenta, batch
        sizes, epochs)` unless said otherwise:
        `<curve>_median`, `<curve>_low`, `<curve>_high` (float16) for each
        curve but `collapsed`: the median over the seeds that have a score
        at that epoch, and the lowest and highest of them;
        `test_correct` (uint8, `(..., seeds, epochs)`): each seed's right
        test answers, `UNSCORED` (255) where it has none;
        `runs` (uint8, `(recipes, ..., batch sizes)`): the seeds recorded;
        `diverged`, `collapsed` (uint8): how many of them had diverged by
        that epoch, and how many predicted one class for every test flower;
        and the axes: `recipes`, `learning_rates`, `momenta`,
        `batch_sizes`, `seeds`, `epochs` (1 to the last).
    """
    summary = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a point whose every seed diverged
        for name in BANDED:
            values = atlas.curves[name]
            for statistic, reduce in (("median", np.nanmedian), ("low", np.nanmin)):
                summary[f"{name}_{statistic}"] = reduce(values, axis=-2).astype(np.float16)
            summary[f"{name}_high"] = np.nanmax(values, axis=-2).astype(np.float16)
    right = np.rint(atlas.curves["test_accuracy"] * test_size)
    summary["test_correct"] = np.where(np.isnan(right), UNSCORED, right).astype(np.uint8)
    epochs = np.arange(1, atlas.axes["epochs"] + 1)
    gone = (atlas.diverged[..., None] > 0) & (atlas.diverged[..., None] <= epochs)
    summary["runs"] = atlas.recorded.sum(axis=-1).astype(np.uint8)
    summary["diverged"] = gone.sum(axis=-2).astype(np.uint8)
    summary["collapsed"] = (atlas.curves["collapsed"] == 1).sum(axis=-2).astype(np.uint8)
    for name in (*AXES, "seeds"):
        summary[name] = np.array(atlas.axes[name])
    summary["epochs"] = epochs
    return summary


def write_summary(path, summary, metadata=None):
    """Writes `summarize_atlas`'s dict as one compressed `.npz`, atomically.

    Args:
        path: the file, e.g. `docs/atlas/summary.npz`; its folder is created.
        summary: `summarize_atlas(atlas)`.
        metadata: JSON-able facts to keep beside it (backend, versions,
            dates), as the string array `metadata`. Defaults to `None`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {**summary, "metadata": np.array(json.dumps(metadata or {}, sort_keys=True))}
    with artifacts.atomic_path(path) as temporary:
        np.savez_compressed(temporary, **arrays)


def read_summary(path):
    """A summary `write_summary` wrote: `(arrays, metadata)`."""
    with np.load(path) as found:
        arrays = {name: found[name] for name in found.files if name != "metadata"}
        return arrays, json.loads(str(found["metadata"]))
