"""Import Keras and its backend without the backend's start-up chatter on the terminal.

TensorFlow's C++ core writes a few lines to stderr while it loads
("All log messages before absl::InitializeLog() ...", oneDNN and CUDA
notices), before `TF_CPP_MIN_LOG_LEVEL` takes effect; JAX and PyTorch may
warn about missing accelerators. The CLI promises one line per error, so it
imports Keras (which imports the backend `KERAS_BACKEND` names) with file
descriptor 2 pointed at a temporary file, and replays that file if the
import fails. Set `IRIS_KERAS_TF_LOGS=1` to see the lines anyway.
"""

import contextlib
import importlib
import os
import sys
import tempfile


def import_backend_quietly():
    """Imports `keras`, and with it its backend, with the backend's start-up logs captured."""
    import_quietly("keras")


def import_quietly(name):
    """Imports the module `name` with whatever it writes to file descriptor 2 captured.

    The captured lines are replayed on stderr if the import fails.

    Args:
        name: a module name, e.g. `"keras"` or `"tensorflow"`.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if name in sys.modules or os.environ.get("IRIS_KERAS_TF_LOGS") == "1":
        importlib.import_module(name)
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            importlib.import_module(name)
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            with contextlib.suppress(OSError):
                sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
