"""Where training runs: `auto` takes a GPU when TensorFlow sees one, else the CPU."""

import platform

from iris_keras.errors import IrisKerasError, check_choice

DEVICES = ("auto", "cpu", "gpu")


def select_device(device="auto"):
    """Makes TensorFlow use the requested device and describes it.

    Must run before the first TensorFlow operation of the process: `cpu`
    hides every GPU from TensorFlow, so nothing lands on one by accident.

    Args:
        device: `"auto"`, `"cpu"` or `"gpu"`. Defaults to `"auto"`.

    Returns:
        A short description, e.g. `"GPU: NVIDIA H100 80GB HBM3"` or
        `"CPU: x86_64, 2 cores"`.

    Raises:
        UsageError: `device` is not one of the accepted values.
        IrisKerasError: `device="gpu"` and TensorFlow sees no GPU.
    """
    import tensorflow as tf

    device = check_choice("device", device, DEVICES)
    gpus = tf.config.list_physical_devices("GPU")
    if device == "gpu" and not gpus:
        raise IrisKerasError(
            "Received device='gpu', but TensorFlow sees no GPU on this machine. "
            "Use --device auto or --device cpu."
        )
    if device == "cpu" or not gpus:
        if gpus:
            tf.config.set_visible_devices([], "GPU")
        return cpu_description()
    details = tf.config.experimental.get_device_details(gpus[0])
    return f"GPU: {details.get('device_name', gpus[0].name)}"


def cpu_description():
    """A one-line description of this machine's CPU: model name and cores."""
    import os

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
