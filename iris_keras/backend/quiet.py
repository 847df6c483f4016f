"""Keras's backend without its start-up chatter: one stderr silencer for the whole package.

TensorFlow's C++ core writes a block of lines to stderr while it loads
("All log messages before absl::InitializeLog() ...", oneDNN and CUDA
notices), before `TF_CPP_MIN_LOG_LEVEL` takes effect, and a "failed call to
cuInit" error the first time it looks for a GPU on a machine without one. A
learner who imports a helper from a script, IPython or a notebook should see
none of it, and the CLI promises one line per error.

`import iris_keras` therefore sets `TF_CPP_MIN_LOG_LEVEL=3` (unless it is
set) and calls `install()`: the first import of TensorFlow, by this package
or by the user's own `import keras`, then runs with file descriptor 2
pointed at a temporary file, and looks for GPUs once while it is captured.
The captured lines are thrown away when the import succeeds and written to
stderr when it fails, so a real error still shows. Set `IRIS_KERAS_TF_LOGS=1`
to see the lines anyway.
"""

import contextlib
import importlib
import importlib.abc
import importlib.util
import os
import sys
import tempfile

SHOW_LOGS = "IRIS_KERAS_TF_LOGS"


@contextlib.contextmanager
def captured_stderr():
    """Points file descriptor 2 at a temporary file for the block.

    What the block writes there (C++ code included) is dropped when it
    succeeds, and written to stderr when it raises.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            with contextlib.suppress(OSError):
                sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def import_quietly(name):
    """Imports the module `name` with what it writes to file descriptor 2 captured.

    Args:
        name: a module name, e.g. `"keras"` or `"jax"`.

    Returns:
        The module.
    """
    if name in sys.modules or os.environ.get(SHOW_LOGS) == "1":
        return importlib.import_module(name)
    with captured_stderr():
        return importlib.import_module(name)


def import_keras():
    """`keras`, imported quietly with its backend the first time."""
    return sys.modules.get("keras") or import_quietly("keras")


def install():
    """Makes the first import of TensorFlow in this process quiet, whoever imports it.

    Also sets `TF_CPP_MIN_LOG_LEVEL=3` unless it is set. Nothing else happens
    when TensorFlow is already imported, or when `IRIS_KERAS_TF_LOGS=1`.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    quiet_first_import("tensorflow", then=_look_for_gpus)


def quiet_first_import(name, *, then=None):
    """Captures file descriptor 2 while the module `name` is first imported, by anyone.

    A finder at the head of `sys.meta_path` finds the module as the other
    finders do and wraps its loader: the module runs with stderr captured
    (`captured_stderr`), then `then(module)`, still captured. The finder
    removes itself once the module is loaded.

    Args:
        name: a top-level module name, e.g. `"tensorflow"`.
        then: a function of the loaded module to run in the capture too.
            Defaults to `None`.
    """
    if name in sys.modules or os.environ.get(SHOW_LOGS) == "1":
        return
    if not any(getattr(finder, "name", None) == name for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietFinder(name, then))


def _look_for_gpus(tensorflow):
    """TensorFlow's first look for a GPU: where "failed call to cuInit" is printed."""
    tensorflow.config.list_physical_devices("GPU")


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds one module as the other finders do, and wraps its loader in `_QuietLoader`."""

    def __init__(self, name, then):
        self.name, self.then, self.searching = name, then, False

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name or self.searching:
            return None
        self.searching = True
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.searching = False
        if spec is None or spec.loader is None:
            return None
        spec.loader = _QuietLoader(spec.loader, self)
        return spec


class _QuietLoader(importlib.abc.Loader):
    """Runs the real loader with stderr captured, then the finder's `then`, still captured."""

    def __init__(self, loader, finder):
        self.loader, self.finder = loader, finder

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self.finder)  # once per process
        module.__spec__.loader = module.__loader__ = self.loader
        with captured_stderr():
            self.loader.exec_module(module)
            if self.finder.then is not None:
                self.finder.then(module)
