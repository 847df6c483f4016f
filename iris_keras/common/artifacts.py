"""Files that are either whole or absent: every artifact is written atomically.

Each writer writes to a temporary name in the destination folder and renames
it into place with `os.replace`, which is atomic on POSIX and Windows. A run
killed at any moment leaves the previous complete file, or none, never a
truncated one; the temporary file is removed when the write fails.
"""

import contextlib
import hashlib
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

from iris_keras.errors import IrisKerasError

# A class Keras defines for one backend only, e.g. keras.src.backend.torch.optimizers.torch_sgd.
BACKEND_MODULE = re.compile(r"keras\.src\.backend\.(tensorflow|jax|torch)\.")
# How fast a compiled model runs, as `model.compile`'s defaults: what a saved file keeps.
SPEED_SETTINGS = {"steps_per_execution": 1, "jit_compile": "auto"}


@contextlib.contextmanager
def atomic_path(path):
    """Yields a temporary path beside `path`; on success renames it to `path`.

    The temporary name ends with `path`'s name (`.tmp-x1y2-model.keras`):
    `model.save` and `model.save_weights` check the suffix.

    Args:
        path: the final destination.

    Yields:
        A `pathlib.Path` to write to.
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=".tmp-", suffix=f"-{path.name}", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would make artifacts private
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(path, text):
    """Writes `text` to `path` atomically."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def write_json(path, data):
    """Writes `data` as indented JSON to `path` atomically."""
    write_text(path, json.dumps(data, indent=2, sort_keys=False) + "\n")


def write_csv(path, frame):
    """Writes a pandas DataFrame as CSV, without its index, atomically."""
    write_text(path, frame.to_csv(index=False))


def save_figure(path, figure):
    """Saves a matplotlib figure as PNG atomically."""
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=120, bbox_inches="tight")


def save_model(path, model):
    """Saves a Keras model in the `.keras` format atomically, loadable on every backend.

    `model.save` records how the model was compiled (`compile_config`), and
    with it two things of the training backend that another backend refuses
    or pays for; the saved file leaves them out (`portable_compile_config`):

    - the optimizer's module: on PyTorch, Keras replaces `keras.optimizers.SGD`
      by a subclass of its own, `keras.src.backend.torch.optimizers.torch_sgd`,
      which TensorFlow and JAX cannot import ("Could not deserialize class
      'SGD' because its parent module ... cannot be imported"). The file names
      the public `keras.optimizers`: the same class, config and variables,
      which every backend loads (PyTorch swaps in its subclass again);
    - the training run's speed settings, `steps_per_execution` (a whole epoch
      per call, which PyTorch refuses: "`steps_per_execution` must be 1 with
      the PyTorch backend") and `jit_compile` (XLA, which JAX needs and
      PyTorch would answer with `torch.compile`): back to Keras's defaults,
      1 and `"auto"`, so that the loading backend chooses its own. They
      change how fast a model runs, never what it computes.
    """
    with atomic_path(path) as temporary:
        model.save(temporary)
        _make_portable(temporary)


def portable_compile_config(compile_config):
    """A `compile_config` any backend loads: public optimizer module, default speed settings.

    Args:
        compile_config: the `compile_config` of a `.keras` file's
            `config.json`, as `model.save` wrote it (changed in place).

    Returns:
        Whether anything changed.

    Example:
    >>> config = {"steps_per_execution": 4, "jit_compile": True}
    >>> portable_compile_config(config), config
    (True, {'steps_per_execution': 1, 'jit_compile': 'auto'})
    """
    before = json.dumps(compile_config, sort_keys=True)
    optimizer = compile_config.get("optimizer")
    if isinstance(optimizer, dict) and BACKEND_MODULE.match(optimizer.get("module", "")):
        optimizer["module"] = "keras.optimizers"
    for key, default in SPEED_SETTINGS.items():
        if key in compile_config:
            compile_config[key] = default
    return json.dumps(compile_config, sort_keys=True) != before


def _make_portable(path):
    """Rewrites a `.keras` file's `config.json` with `portable_compile_config`, if it changes."""
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        if not portable_compile_config(config.get("compile_config") or {}):
            return
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            archive.writestr(info, json.dumps(config) if info.filename == "config.json" else data)


def prepare_output_dir(path):
    """Creates the output folder if needed and checks that it can be written.

    It changes nothing in an existing folder: another run may be writing it.
    `claim_output_dir` also takes the folder's lock and cleans up.

    Args:
        path: the folder; its parent folders are created too.

    Returns:
        The folder as a `pathlib.Path`.

    Raises:
        IrisKerasError: the path is a file, or the folder cannot be created
            or written.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise IrisKerasError(
            f"Received an invalid value for `output`, expected a folder. "
            f"Received: output='{path}', which is a file. Choose another --output."
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        raise IrisKerasError(
            f"Received an invalid value for `output`, expected a folder that can be "
            f"created and written. Received: output='{path}' ({error.strerror})."
        ) from None
    return path


@contextlib.contextmanager
def claim_output_dir(path, *, command=None):
    """Prepares the output folder and makes this process its one writer for the block.

    `prepare_output_dir`, then `folder_lock.hold`; once the lock is held,
    the temporary files that a killed run left behind (`.tmp-*`) are
    removed (never before: they could be another live run's).

    Args:
        path: the folder; created with its parents if missing.
        command: the command line a refused second run is shown. Defaults
            to this process's.

    Yields:
        The folder as a `pathlib.Path`.

    Raises:
        IrisKerasError: as `prepare_output_dir`.
        FolderBusyError: another process is writing the folder.
    """
    from iris_keras.common import folder_lock

    path = prepare_output_dir(path)
    with folder_lock.hold(path, command=command):
        for leftover in path.glob(".tmp-*"):  # from a run killed mid-write
            leftover.unlink(missing_ok=True)
        yield path


def sha256_of(path):
    """The SHA-256 of a file's bytes, as 64 hexadecimal digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
