"""The project's Jupyter kernel: this environment's Python, quiet from the first cell.

`make install` registers a kernel named `iris-keras` ("Python (iris-keras)")
inside the environment (`<venv>/share/jupyter/kernels/iris-keras/`), and
every notebook's metadata names it, so JupyterLab, `nbclient` and the book
start the project's interpreter without asking. A bare `python3` kernel
would start whatever `python` a front end finds first, which lacks the
project's packages.

The kernel is `python -m iris_keras.app.kernel -f CONNECTION_FILE`: it imports
the Keras backend with its C++ start-up lines captured (they are printed
before `TF_CPP_MIN_LOG_LEVEL` can act, and a notebook would show them as a
pink stderr block), then starts `ipykernel` as usual. Warnings raised later,
by code a cell runs, still reach the cell.

Example:

```sh
.venv/bin/python -m iris_keras.app.kernel install   # what `make install` runs
```

It lives in the package, not in `tools/`, because Jupyter starts it by its
module name in the learner's environment, where only the package is installed.
"""

import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from iris_keras.backend import DEFAULT_BACKEND

KERNEL_NAME = "iris-keras"
DISPLAY_NAME = "Python (iris-keras)"
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3"}


def kernel_spec(*, python=None, backend=None):
    """The `kernel.json` contents of the project's kernel.

    Args:
        python: the interpreter the kernel runs, an absolute path.
            Defaults to `sys.executable`, this environment's Python.
        backend: the `KERAS_BACKEND` the kernel starts with. Defaults to the
            `KERAS_BACKEND` environment variable, else Keras's default,
            TensorFlow (`backend.DEFAULT_BACKEND`).

    Returns:
        A dict with `argv`, `display_name`, `language`, `env` and `metadata`.

    Example:

    >>> spec = kernel_spec(python="/venv/bin/python", backend="tensorflow")
    >>> spec["argv"][:3]
    ['/venv/bin/python', '-m', 'iris_keras.app.kernel']
    >>> spec["display_name"], spec["env"]["KERAS_BACKEND"]
    ('Python (iris-keras)', 'tensorflow')
    """
    python = python or sys.executable
    backend = backend or os.environ.get("KERAS_BACKEND") or DEFAULT_BACKEND
    return {
        "argv": [python, "-m", "iris_keras.app.kernel", "-f", "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "env": {**QUIET_ENV, "KERAS_BACKEND": backend},
        "metadata": {"debugger": True},
    }


def install(*, prefix=None, backend=None):
    """Registers the project's kernel in the environment at `prefix`.

    Uses `jupyter_client`'s `KernelSpecManager`, the same call as
    `python -m ipykernel install --sys-prefix`, with our own `kernel.json`.

    Args:
        prefix: the environment's root. Defaults to `sys.prefix`.
        backend: as in `kernel_spec`. Defaults to `None`.

    Returns:
        The folder the kernel was installed into, a `Path`.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as source:
        spec = kernel_spec(backend=backend)
        Path(source, "kernel.json").write_text(json.dumps(spec, indent=1) + "\n", "utf-8")
        destination = KernelSpecManager().install_kernel_spec(
            source, KERNEL_NAME, prefix=prefix or sys.prefix
        )
    return Path(destination)


class _NoTransportNotice(logging.Filter):
    """Drops ipykernel's notice that a local kernel talks over plain TCP.

    Every Jupyter kernel on this machine does (JupyterLab and nbclient
    connect over 127.0.0.1); printed at each start, it reads like an error.
    """

    def filter(self, record):
        return "without encryption" not in record.getMessage()


def _start_kernel():
    from iris_keras.backend.quiet import import_quietly

    logging.getLogger("IPKernelApp").addFilter(_NoTransportNotice())
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
    # The backend's own package, not Keras: a notebook may still configure the
    # devices (`distribute.use_logical_cpus`) before the backend starts them.
    import_quietly(os.environ.get("KERAS_BACKEND", DEFAULT_BACKEND))
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def main(argv=None):
    """`install` registers the kernel; any other arguments start it (as Jupyter does)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["install"]:
        print(f"Installed the Jupyter kernel {KERNEL_NAME!r} in {install()}")
        return
    _start_kernel()


if __name__ == "__main__":
    main()
