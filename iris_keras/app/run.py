"""The article's run, end to end: data, model, training, evaluation, artifacts.

`train_recipe` is what `iris-keras train` and `make train` call. It reads as
the article's steps, with what makes a run dependable as named steps around
them:

    with one_writer(output_dir):              # the folder's lock, the chief's decision
        set_seed(recipe.seed)                 # one seed: split, weights, shuffles
        split_for(recipe)                     # §4.1
        build_for(recipe, x_fit)              # §4.2-4.3
        resume(...)                           # an interrupted run's last epoch
        fit_recipe(...)                       # §4.4, with the backup and TensorBoard
        evaluate_model(...)                   # §4.5
        save_and_reload(...)                  # model.keras, and the same scores again
        write_artifacts(...)

It writes into one output folder, by default `runs/<backend>/<run name>/`
(`outputs.default_output_dir`: the recipe's name, then what differs from its
defaults), so that one backend's run never replaces another's, nor one
experiment another's: `model.keras`, `history.csv`, `metrics.json` and two
figures (`iris_keras.app.outputs`). A folder that holds a finished run of
other settings is refused unless `overwrite=True` (`app.overwrite`).

Every file is written atomically, and only after training and evaluation
succeeded, so a failed or interrupted run never replaces a good artifact;
`metrics.json` is written last. The run holds the folder's lock
(`folder_lock`) from start to end: a second run on the same folder is
refused instead of mixing its files with this one's.

While it trains, the run keeps the state of its last finished epoch in
`<output>/.backup/`. Rerunning the same command after a kill resumes from
there and ends with the same weights and metrics as a run that was never
interrupted; a finished run removes the backup, and `fresh=True`
(`--fresh`) discards an old one. A backup of other settings is refused, or
discarded with `overwrite=True` (`--overwrite`).
"""

import contextlib
import dataclasses
import shutil
import tempfile
import time
import uuid

from iris_keras import backend
from iris_keras.app.cluster import is_chief, lost_workers_reported
from iris_keras.app.distribute import check_distribute, describe_strategy, make_strategy
from iris_keras.app.epoch_lines import epoch_lines
from iris_keras.app.outputs import MODEL, run_record, save_and_reload, write_artifacts
from iris_keras.app.overwrite import check_replaceable, run_settings
from iris_keras.common import artifacts
from iris_keras.common.machine import library_versions, select_device
from iris_keras.errors import DivergedError
from iris_keras.evaluate import evaluate_model
from iris_keras.recipes import build_for, fit_recipe, split_for
from iris_keras.seeding import set_seed

BACKUP_DIR = ".backup"
TENSORBOARD_DIR = "logs"


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """How a run trains, beyond its recipe: `train_recipe`'s keyword arguments."""

    device: str = "auto"
    verbose: object = "auto"
    callbacks: tuple = ()
    fresh: bool = False
    tensorboard: bool = False
    distribute: str = "none"
    replicas: int | None = None
    started: float | None = None
    overwrite: bool = False


def train_recipe(
    recipe,
    *,
    output_dir,
    device="auto",
    verbose="auto",
    callbacks=(),
    fresh=False,
    tensorboard=False,
    distribute="none",
    replicas=None,
    command=None,
    started=None,
    overwrite=False,
):
    """Trains a recipe, evaluates it, saves and reloads the model, writes the artifacts.

    Resumes from the backup of an interrupted run of the same recipe in the
    same `output_dir`, unless `fresh`. In a multi-worker run every worker
    trains, and only the chief (worker 0) holds `output_dir`, keeps the backup
    and writes the artifacts; the others write into a temporary folder they
    delete, and take the chief's weights and epoch when a run resumes. The
    folder is claimed before Keras's backend is imported: a second run on a
    busy folder is refused in a fraction of a second.

    Args:
        recipe: a `Recipe`, e.g. `get_recipe("article")`.
        output_dir: the folder for the artifacts; created if missing.
        device: `"auto"`, `"cpu"` or `"gpu"`. Defaults to `"auto"`.
        verbose: what training shows on stdout: Keras's `fit` verbosity
            (`"auto"`, `1`: the progress bar; `2`; `0`: nothing), or
            `"lines"`: one plain line per epoch (`app.epoch_lines`), for a log.
            Defaults to `"auto"`.
        callbacks: extra Keras callbacks. Defaults to `()`.
        fresh: discard the backup of an interrupted run instead of resuming
            it. Defaults to `False`.
        tensorboard: also write Keras's TensorBoard logs (training and
            validation loss and accuracy per epoch) into `<output_dir>/logs/`.
            Defaults to `False`.
        distribute: `"none"`, `"mirrored"` or `"multi-worker"`
            (`distribute.make_strategy`). Defaults to `"none"`.
        replicas: the replicas of a `"mirrored"` run. Defaults to `None`.
        command: the command line a refused second run is shown. Defaults
            to this process's.
        started: the `time.perf_counter()` the run's clock starts from: the
            command line passes the moment it started, so that the recorded
            time counts the start-up too. Defaults to this call's start.
        overwrite: replace a run of other settings that `output_dir`
            holds, finished (`metrics.json`) or interrupted (its backup).
            Defaults to `False`: such a folder is refused.

    Returns:
        The metrics dict that is also written to `metrics.json`.

    Raises:
        UsageError: a bad option, or `output_dir` holds a finished run of
            other settings and `overwrite` is `False`.
        IrisKerasError: a bad output folder or device, or a backup of
            another run in `output_dir`.
        FolderBusyError: another process is writing `output_dir`.
        DivergedError: the loss became NaN or infinite; no model is saved.
    """
    started = time.perf_counter() if started is None else started
    options = RunOptions(
        device,
        verbose,
        tuple(callbacks),
        fresh,
        tensorboard,
        distribute,
        replicas,
        started,
        overwrite,
    )
    check_distribute(options.distribute, options.replicas)
    with one_writer(output_dir, options.distribute, command=command) as folder:
        settings = run_settings(recipe, backend.configured())
        check_replaceable(folder, settings, overwrite=options.overwrite)
        backend.name()  # imports Keras and its backend, now that the folder is ours
        return _train_in(folder, recipe, options, time.perf_counter())


@contextlib.contextmanager
def one_writer(output_dir, distribute="none", *, command=None):
    """Makes this process the one writer of the run's folder for the block.

    The chief decision is taken here, once: in a multi-worker run, a worker
    other than the chief gets a temporary folder of its own, deleted at the
    end, so that only the chief writes what the user keeps.

    Yields:
        The folder to write, a `pathlib.Path`.
    """
    if is_chief(distribute):
        with artifacts.claim_output_dir(output_dir, command=command) as folder:
            yield folder
        return
    worker_dir = tempfile.mkdtemp(prefix="iris-keras-worker-")
    try:
        with artifacts.claim_output_dir(worker_dir, command=command) as folder:
            yield folder
    finally:
        shutil.rmtree(worker_dir, ignore_errors=True)


def _train_in(folder, recipe, options, imported):
    """`train_recipe`'s steps, run while this process holds `folder`'s lock.

    `imported` is when Keras and its backend were ready (`time.perf_counter()`).
    """
    from iris_keras.app.backup import discard_backup, resume  # imports Keras

    device = select_device(options.device)
    strategy = make_strategy(options.distribute, replicas=options.replicas)
    set_seed(recipe.seed)
    fit_data, validation_data, test_data = split_for(recipe)
    model = build_for(recipe, fit_data[0], strategy=strategy)
    backup, initial_epoch = resume(model, folder / BACKUP_DIR, recipe, strategy, options)
    fit_started = time.perf_counter()
    try:
        with lost_workers_reported(strategy):
            fit_recipe(
                model,
                recipe,
                fit_data,
                validation_data,
                initial_epoch=initial_epoch,
                callbacks=[backup, *_extra_callbacks(folder, options)],
                verbose=0 if options.verbose == "lines" else options.verbose,
            )
            fit_seconds = time.perf_counter() - fit_started
            scores = evaluate_model(model, *test_data, class_names=recipe.class_names)
    except DivergedError:
        discard_backup(backup.backup_dir)  # resuming would diverge again
        raise
    reloaded = save_and_reload(model, folder / MODEL, test_data, recipe)
    metrics = {
        "run_id": uuid.uuid4().hex,
        "recipe": recipe.name,
        **scores,
        "reloaded_test_loss": reloaded["test_loss"],
        "reloaded_test_accuracy": reloaded["test_accuracy"],
        "reload_matches": reloaded == scores,
        **run_record(recipe, fit_data, validation_data, test_data),
        "epochs_run": len(backup.history["loss"]),
        "resumed_from_epoch": initial_epoch,
        **_where_and_how(device, strategy),
        "timings": {
            "fit_seconds": round(fit_seconds, 3),
            "imports_seconds": round(imported - options.started, 3),
        },
        "output_dir": str(folder),
        "tensorboard_logs": str(folder / TENSORBOARD_DIR) if options.tensorboard else None,
    }
    write_artifacts(folder, backup.history, metrics, recipe, started=options.started)
    discard_backup(backup.backup_dir)
    return metrics


def _where_and_how(device, strategy):
    """What `metrics.json` records of the software, the device and the distribution."""
    return {
        "backend": backend.name(),
        "versions": library_versions(),
        "device": device,
        "distribution": describe_strategy(strategy),
    }


def _extra_callbacks(folder, options):
    """The caller's callbacks, TensorBoard's when asked for, and the epoch lines last."""
    callbacks = list(options.callbacks)
    if options.tensorboard:
        callbacks.append(tensorboard_callback(folder / TENSORBOARD_DIR))
    if options.verbose == "lines":
        callbacks.append(epoch_lines())
    return callbacks


def tensorboard_callback(log_dir):
    """Keras's `TensorBoard` callback, writing one point per epoch into `log_dir`.

    It sits after `fit_model`'s validation callback, so each epoch's
    `val_loss` and `val_accuracy` land in `log_dir/validation/` beside the
    training `loss` and `accuracy` in `log_dir/train/`.

    Raises:
        UsageError: the backend is not TensorFlow: Keras writes TensorBoard
            logs with TensorFlow's summary writer.
    """
    import keras

    backend.require_tensorflow(
        "tensorboard=True",
        hint="Keras writes TensorBoard logs with TensorFlow's summary writer: train with "
        "BACKEND=tensorflow to get them.",
    )
    return keras.callbacks.TensorBoard(log_dir=str(log_dir), write_graph=False)
