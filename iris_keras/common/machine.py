"""What a run runs on: the device (`auto` takes a GPU when the backend sees one), the versions."""

import os
import platform

from iris_keras.errors import IrisKerasError, check_choice

DEVICES = ("auto", "cpu", "gpu")


def select_device(device="auto"):
    """Makes the Keras backend use the requested device and describes it.

    Must run before the backend's first operation in the process: `cpu`
    keeps TensorFlow, JAX or PyTorch off every GPU, so nothing lands on one
    by accident.

    Args:
        device: `"auto"`, `"cpu"` or `"gpu"`. Defaults to `"auto"`.

    Returns:
        A short description, e.g. `"GPU: NVIDIA H100 80GB HBM3"` or
        `"CPU: x86_64, 2 cores"`.

    Raises:
        UsageError: `device` is not one of the accepted values.
        IrisKerasError: `device="gpu"` and the backend sees no GPU.
    """
    from iris_keras import backend

    device = check_choice("device", device, DEVICES)
    gpus = backend.gpu_names()
    if device == "gpu" and not gpus:
        raise IrisKerasError(
            f"Received device='gpu', but the {backend.name()} backend sees no GPU on this "
            "machine. Use --device auto or --device cpu."
        )
    if device == "cpu" or not gpus:
        if gpus:
            backend.hide_gpus()
        return cpu_description()
    return f"GPU: {gpus[0]}"


def cpu_description():
    """A one-line description of this machine's CPU: model name and cores."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"CPU: {name}, {os.cpu_count()} cores"


def library_versions(backend_name=None):
    """The versions of Python, the backend's packages and the libraries a run depends on.

    Args:
        backend_name: the backend's name; `None` for the one Keras runs on
            (which imports Keras). Defaults to `None`.
    """
    from importlib.metadata import version

    from iris_keras import backend

    names = ("keras", "numpy", "scikit-learn", "pandas", "matplotlib")
    return {
        "python": platform.python_version(),
        **backend.versions(backend_name),
        **{name: version(name) for name in names},
    }
