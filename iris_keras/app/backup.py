"""Resume after a kill: the state of the last finished epoch, kept in `<output>/.backup/`.

`EpochBackup` writes it after every epoch, `restore_backup` puts it back
into a fresh model, and `discard_backup` removes it when the run is done.
Imported only when training starts (it imports Keras).
"""

import json
import math
import shutil
from pathlib import Path

import keras
import numpy as np

from iris_keras.app.cluster import lost_workers_reported, sync_from_chief
from iris_keras.app.distribute import strategy_scope
from iris_keras.common import artifacts
from iris_keras.errors import IrisKerasError

STATE_FILE = "state.json"


class EpochBackup(keras.callbacks.Callback):
    """Keeps the training state of the last finished epoch, so a killed run can resume.

    Like `keras.callbacks.BackupAndRestore` (the model's weights and the
    optimizer's state: momentum velocities and iteration count), with the
    differences a resumed run needs to end bit-identical to an uninterrupted
    one: every file is written atomically and `state.json` names the
    weights file it goes with, so a kill between two writes never pairs
    epoch-k weights with epoch-(k+1) metadata; the metrics history of the
    finished epochs is kept, so `history.csv` stays whole; and the run's
    settings are kept, so a backup is never resumed into a different run. A
    non-finite epoch is never saved. The arrays go to a NumPy `.npz` file
    (no pickling), far cheaper than `save_weights`'s HDF5 file, which cost
    more than the epoch itself (docs/speed.md has the figures).

    Args:
        backup_dir: the folder of the backup, inside the run's output folder.
        fingerprint: a JSON-able description of the run (its hyperparameters
            and data) that a resumed run must match.
    """

    def __init__(self, backup_dir, fingerprint, history=None):
        super().__init__()
        self.backup_dir = Path(backup_dir)
        self.fingerprint = fingerprint
        self.history = {key: list(values) for key, values in (history or {}).items()}

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if not all(math.isfinite(float(value)) for value in logs.values()):
            return
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        weights = f"epoch-{epoch + 1:04d}.npz"
        arrays = {
            **{f"model_{i}": v.numpy() for i, v in enumerate(self.model.weights)},
            **{f"optimizer_{i}": v.numpy() for i, v in enumerate(self.model.optimizer.variables)},
        }
        with artifacts.atomic_path(self.backup_dir / weights) as temporary:
            np.savez(temporary, **arrays)
        state = {
            "epoch": epoch + 1,
            "weights": weights,
            "history": self.history,
            "fingerprint": self.fingerprint,
        }
        artifacts.write_json(self.backup_dir / STATE_FILE, state)
        for old in self.backup_dir.glob("epoch-*.npz"):
            if old.name != weights:
                old.unlink(missing_ok=True)


def restore_backup(model, backup_dir, fingerprint, *, overwrite=False):
    """Restores a compiled model from a backup, if there is one.

    Args:
        model: the compiled model of the run.
        backup_dir: the folder `EpochBackup` wrote.
        fingerprint: the run's description; it must equal the backup's.
        overwrite: discard a backup of another run instead of refusing it.
            Defaults to `False`.

    Returns:
        `(initial_epoch, history)`: `(0, {})` when there is no backup, or
        when a backup of another run was discarded.

    Raises:
        IrisKerasError: the backup belongs to another run (and `overwrite`
            is `False`), or is unreadable.
    """
    state_path = Path(backup_dir) / STATE_FILE
    if not state_path.is_file():
        return 0, {}
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        weights = Path(backup_dir) / state["weights"]
        if state["fingerprint"] != fingerprint:
            if overwrite:
                discard_backup(backup_dir)
                return 0, {}
            raise IrisKerasError(
                f"The output folder holds an unfinished run with other settings "
                f"({state_path}). Rerun it with its own settings, choose another "
                "--output, or pass --overwrite (or --fresh) to discard it."
            )
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        with np.load(weights, allow_pickle=False) as arrays:
            for prefix, variables in (
                ("model", model.weights),
                ("optimizer", model.optimizer.variables),
            ):
                if len(variables) != sum(k.startswith(prefix) for k in arrays.files):
                    raise ValueError(f"the backup's {prefix} variables do not match the model")
                for index, variable in enumerate(variables):
                    variable.assign(arrays[f"{prefix}_{index}"])
        return int(state["epoch"]), state["history"]
    except IrisKerasError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IrisKerasError(
            f"Cannot resume from the backup in {backup_dir}: {error}. "
            "Pass --fresh to discard it and start over."
        ) from None


def discard_backup(backup_dir):
    """Removes a backup folder; nothing happens if there is none."""
    shutil.rmtree(backup_dir, ignore_errors=True)


def resume(model, backup_dir, recipe, strategy, options):
    """Puts an interrupted run's last finished epoch back into `model`, if there is one.

    With `options.fresh`, an old backup is discarded instead; with
    `options.overwrite`, a backup of other settings is discarded, and one of
    this run's settings resumed. In a multi-worker run every worker then
    takes the chief's weights and epoch.

    Args:
        model: the run's compiled model, before training.
        backup_dir: the run's backup folder, `<output_dir>/.backup/`.
        recipe: the run's `Recipe`; a backup of other settings is refused.
        strategy: the run's `tf.distribute` strategy, or `None`.
        options: the run's `RunOptions` (`fresh`, `overwrite`, `verbose`).

    Returns:
        `(backup, initial_epoch)`: the `EpochBackup` callback that keeps
        this run's backup (holding the history of the epochs already run),
        and the epoch to start from.
    """
    if options.fresh:
        discard_backup(backup_dir)
    fingerprint = recipe.as_dict()
    with strategy_scope(strategy):
        initial_epoch, history = restore_backup(
            model, backup_dir, fingerprint, overwrite=options.overwrite
        )
    with lost_workers_reported(strategy):
        initial_epoch = sync_from_chief(strategy, model, initial_epoch)
    if initial_epoch and options.verbose != 0:
        print(f"Resuming from {backup_dir}: {initial_epoch} of {recipe.epochs} epochs done.")
    return EpochBackup(backup_dir, fingerprint, history), initial_epoch
