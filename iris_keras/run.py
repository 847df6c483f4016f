"""The article's run, end to end: data, model, training, evaluation, artifacts.

`train_recipe` is what `iris-keras train` and `make train` call. It writes
into one output folder:

- `model.keras`: the trained model, which takes raw centimetres;
- `history.csv`: one row per epoch: `loss`, `accuracy`, `val_loss`,
  `val_accuracy`;
- `metrics.json`: test scores, per-class precision and recall, the confusion
  matrix, the seed, every hyperparameter, the `load_data` arguments, library
  versions, the device and timings; a `run_id` and the SHA-256 of each
  other artifact (`sha256`), so that files of two runs are never taken for
  one run's;
- `learning_curves.png` and `confusion_matrix.png`.

Every file is written atomically, and only after training and evaluation
succeeded, so a failed or interrupted run never replaces a good artifact;
`metrics.json` is written last. The run holds the folder's lock
(`folder_lock`) from start to end: a second run on the same folder is
refused instead of mixing its files with this one's.

While it trains, the run keeps the state of its last finished epoch in
`<output>/.backup/`. Rerunning the same command after a kill resumes from
there and ends with the same weights and metrics as a run that was never
interrupted; a finished run removes the backup, and `fresh=True`
(`--fresh`) discards an old one.
"""

import platform
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from iris_keras import artifacts, backend
from iris_keras.batches import steps_per_epoch
from iris_keras.compile import compile_model
from iris_keras.datasets import iris
from iris_keras.device import select_device
from iris_keras.distribute import (
    describe_strategy,
    is_chief,
    lost_workers_reported,
    make_strategy,
    strategy_scope,
    sync_from_chief,
)
from iris_keras.errors import DivergedError, UsageError
from iris_keras.evaluate import evaluate_model
from iris_keras.model import build_model
from iris_keras.plots import plot_confusion_matrix, plot_learning_curves
from iris_keras.seeding import set_seed
from iris_keras.train import fit_model

BACKUP_DIR = ".backup"
TENSORBOARD_DIR = "logs"
METRICS = "metrics.json"
ARTIFACTS = (
    "model.keras",
    "history.csv",
    METRICS,
    "learning_curves.png",
    "confusion_matrix.png",
)


def split_for(recipe):
    """Loads the data a recipe trains, validates and tests on.

    Returns:
        `(x_fit, y_fit), (x_val, y_val), (x_test, y_test)`; for the article
        recipe the validation data is the test set, as in the article.
    """
    (x_train, y_train), (x_test, y_test) = iris.load_data(**recipe.load_data_kwargs())
    if recipe.validation == "test":
        return (x_train, y_train), (x_test, y_test), (x_test, y_test)
    (x_fit, y_fit), (x_val, y_val) = iris.train_validation_split(
        x_train, y_train, validation_size=recipe.validation_size, seed=recipe.seed
    )
    return (x_fit, y_fit), (x_val, y_val), (x_test, y_test)


def build_for(recipe, x_fit, *, strategy=None):
    """Builds and compiles the recipe's model, adapted to the training features.

    The model runs one epoch's batches per compiled call
    (`steps_per_execution`): the same steps, less Python between them (on
    PyTorch, which allows one batch per call, `compile_model` keeps 1). Under
    a `tf.distribute` strategy (`distribute.make_strategy`) it is built and
    compiled in the strategy's scope, one batch per call: Keras 3.15's
    multi-step loop fails under a `MirroredStrategy`.
    """
    with strategy_scope(strategy):
        model = build_model(
            x_fit,
            target=recipe.target,
            units=recipe.units,
            standardize=recipe.standardize,
            positive_class=recipe.positive_class if recipe.target == "binary" else None,
        )
        return compile_model(
            model,
            target=recipe.target,
            learning_rate=recipe.learning_rate,
            momentum=recipe.momentum,
            steps_per_execution=1
            if strategy is not None
            else steps_per_epoch(len(x_fit), batch_size=recipe.batch_size),
        )


def fit_recipe(model, recipe, fit_data, validation_data, **fit_kwargs):
    """Runs `fit_model` with the recipe's epochs, batch size and seed.

    Args:
        model: the model from `build_for(recipe, ...)`.
        recipe: the `Recipe`.
        fit_data: `(x_fit, y_fit)` from `split_for(recipe)`.
        validation_data: `(x_val, y_val)` from `split_for(recipe)`.
        **fit_kwargs: more `fit_model` arguments (`callbacks`, `verbose`, ...).

    Returns:
        The `History` of the epochs run.
    """
    x_fit, y_fit = fit_data
    return fit_model(
        model,
        x_fit,
        y_fit,
        validation_data=validation_data,
        epochs=recipe.epochs,
        batch_size=recipe.batch_size,
        seed=recipe.seed,
        **fit_kwargs,
    )


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
):
    """Trains a recipe, evaluates it, saves and reloads the model, writes the artifacts.

    Resumes from the backup of an interrupted run of the same recipe in the
    same `output_dir`, unless `fresh`. In a multi-worker run every worker
    trains, and only the chief (worker 0) holds `output_dir`, keeps the backup
    and writes the artifacts; the others write into a temporary folder they
    delete, and take the chief's weights and epoch when a run resumes.

    Args:
        recipe: a `Recipe`, e.g. `get_recipe("article")`.
        output_dir: the folder for the artifacts; created if missing.
        device: `"auto"`, `"cpu"` or `"gpu"`. Defaults to `"auto"`.
        verbose: Keras's `fit` verbosity; `"auto"` shows the progress bar.
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

    Returns:
        The metrics dict that is also written to `metrics.json`.

    Raises:
        IrisKerasError: a bad output folder or device, or a backup of
            another run in `output_dir`.
        FolderBusyError: another process is writing `output_dir`.
        DivergedError: the loss became NaN or infinite; no model is saved.
    """
    options = {
        "device": device,
        "verbose": verbose,
        "callbacks": callbacks,
        "fresh": fresh,
        "tensorboard": tensorboard,
        "distribute": distribute,
        "replicas": replicas,
        "started": time.perf_counter(),
    }
    if not is_chief(distribute):  # the chief alone writes what the user keeps
        worker_dir = tempfile.mkdtemp(prefix="iris-keras-worker-")
        try:
            with artifacts.claim_output_dir(worker_dir) as output_dir:
                return _train_in(output_dir, recipe, **options)
        finally:
            shutil.rmtree(worker_dir, ignore_errors=True)
    with artifacts.claim_output_dir(output_dir) as output_dir:  # one writer, resume included
        return _train_in(output_dir, recipe, **options)


def _train_in(
    output_dir,
    recipe,
    *,
    device,
    verbose,
    callbacks,
    fresh,
    tensorboard,
    distribute,
    replicas,
    started,
):
    """`train_recipe`'s body, run while this process holds `output_dir`'s lock."""
    import keras

    from iris_keras.callbacks import EpochBackup, discard_backup, restore_backup

    device_name = select_device(device)
    strategy = make_strategy(distribute, replicas=replicas)
    set_seed(recipe.seed)
    (x_fit, y_fit), validation_data, (x_test, y_test) = split_for(recipe)
    model = build_for(recipe, x_fit, strategy=strategy)

    backup_dir = output_dir / BACKUP_DIR
    if fresh:
        discard_backup(backup_dir)
    fingerprint = recipe.as_dict()
    with strategy_scope(strategy):
        initial_epoch, previous_history = restore_backup(model, backup_dir, fingerprint)
    with lost_workers_reported(strategy):
        initial_epoch = sync_from_chief(strategy, model, initial_epoch)
    if initial_epoch and verbose != 0:
        print(f"Resuming from {backup_dir}: {initial_epoch} of {recipe.epochs} epochs done.")
    backup = EpochBackup(backup_dir, fingerprint, previous_history)
    if tensorboard:
        callbacks = [*callbacks, tensorboard_callback(output_dir / TENSORBOARD_DIR)]
    fit_started = time.perf_counter()
    try:
        with lost_workers_reported(strategy):
            fit_recipe(
                model,
                recipe,
                (x_fit, y_fit),
                validation_data,
                initial_epoch=initial_epoch,
                callbacks=[backup, *callbacks],
                verbose=verbose,
            )
            fit_seconds = time.perf_counter() - fit_started
            scores = evaluate_model(model, x_test, y_test, class_names=recipe.class_names)
    except DivergedError:
        discard_backup(backup_dir)  # resuming would diverge again
        raise

    model_path = output_dir / "model.keras"
    artifacts.save_model(model_path, model)
    reloaded = keras.models.load_model(model_path, safe_mode=True)
    reloaded_scores = evaluate_model(reloaded, x_test, y_test, class_names=recipe.class_names)

    metrics = {
        "run_id": uuid.uuid4().hex,
        "recipe": recipe.name,
        **scores,
        "reloaded_test_loss": reloaded_scores["test_loss"],
        "reloaded_test_accuracy": reloaded_scores["test_accuracy"],
        "reload_matches": reloaded_scores == scores,
        "class_names": list(recipe.class_names),
        "seed": recipe.seed,
        "hyperparameters": _hyperparameters(recipe),
        "load_data": recipe.load_data_kwargs(),
        "num_samples": {
            "fit": len(x_fit),
            "validation": len(validation_data[0]),
            "test": len(x_test),
        },
        "epochs_run": len(backup.history["loss"]),
        "resumed_from_epoch": initial_epoch,
        "backend": backend.name(),
        "versions": library_versions(),
        "device": device_name,
        "distribution": describe_strategy(strategy),
        "timings": {
            "fit_seconds": round(fit_seconds, 3),
            "total_seconds": round(time.perf_counter() - started, 3),
        },
        "output_dir": str(output_dir),
        "tensorboard_logs": str(output_dir / TENSORBOARD_DIR) if tensorboard else None,
    }
    _write_artifacts(output_dir, backup.history, metrics, recipe)
    discard_backup(backup_dir)
    return metrics


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

    if keras.backend.backend() != "tensorflow":
        raise UsageError(
            "Received tensorboard=True, but Keras writes TensorBoard logs with TensorFlow's "
            f"summary writer, and this environment runs the {keras.backend.backend()!r} "
            "backend without TensorFlow. Train with BACKEND=tensorflow to get TensorBoard logs."
        )
    return keras.callbacks.TensorBoard(log_dir=str(log_dir), write_graph=False)


def _write_artifacts(output_dir, history, metrics, recipe):
    """Writes the artifacts beside `model.keras`; `metrics.json`, with their hashes, last."""
    import pandas as pd

    frame = pd.DataFrame(history)
    frame.insert(0, "epoch", range(1, len(frame) + 1))
    artifacts.write_csv(output_dir / "history.csv", frame)
    artifacts.save_figure(output_dir / "learning_curves.png", plot_learning_curves(history))
    artifacts.save_figure(
        output_dir / "confusion_matrix.png",
        plot_confusion_matrix(metrics["confusion_matrix"], recipe.class_names),
    )
    metrics["sha256"] = {
        name: artifacts.sha256_of(output_dir / name) for name in ARTIFACTS if name != METRICS
    }
    artifacts.write_json(output_dir / METRICS, metrics)


def _hyperparameters(recipe):
    return {key: value for key, value in recipe.as_dict().items() if key not in ("name", "seed")}


def library_versions():
    """The versions of Python, the backend's packages and the libraries a run depends on."""
    from importlib.metadata import version

    from iris_keras import backend

    names = ("keras", "numpy", "scikit-learn", "pandas", "matplotlib")
    return {
        "python": platform.python_version(),
        **backend.versions(),
        **{name: version(name) for name in names},
    }


def default_output_dir(recipe_name):
    """`runs/<recipe>`, the default output folder."""
    return Path("runs") / recipe_name
