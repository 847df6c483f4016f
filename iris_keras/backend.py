"""The one place that asks which backend Keras runs on: TensorFlow, JAX or PyTorch.

Keras 3 picks its backend once per process, from the `KERAS_BACKEND`
environment variable (else `~/.keras/keras.json`, else TensorFlow), before
`import keras`. The rest of the package calls the functions here and never
imports a backend itself, so nothing imports TensorFlow unless TensorFlow is
the backend. `make ... BACKEND=jax` sets `KERAS_BACKEND` for you.

Per concern, what differs:

- seeding: `keras.utils.set_random_seed` on every backend, plus
  TensorFlow's deterministic op kernels on TensorFlow;
- devices: each backend lists and hides its own GPUs;
- compiling: XLA (`jit_compile=True`) on JAX, where op-by-op execution is
  ten times slower; off on TensorFlow and PyTorch (see `jit_compile`);
- `steps_per_execution`: PyTorch accepts only 1;
- CPU threads: one for PyTorch, whose threads cost more than they save here;
- versions: the backend's own packages go into `metrics.json`.
"""

BACKENDS = ("tensorflow", "jax", "torch")
# The distributions whose versions a run records, per backend.
PACKAGES = {"tensorflow": ("tensorflow",), "jax": ("jax", "jaxlib"), "torch": ("torch",)}


def use(backend):
    """Makes this process run Keras on `backend`; call it before anything imports Keras.

    Args:
        backend: `"tensorflow"`, `"jax"` or `"torch"`.

    Returns:
        `backend`.

    Raises:
        UsageError: an unknown backend, or one whose package is not installed
            in this environment.
        IrisKerasError: Keras already runs on another backend in this process.
    """
    import importlib.util
    import os
    import sys

    from iris_keras.errors import IrisKerasError, UsageError, check_choice

    backend = check_choice("backend", backend, BACKENDS)
    if importlib.util.find_spec(PACKAGES[backend][0]) is None:
        raise UsageError(
            f"Received backend={backend!r}, but {PACKAGES[backend][0]} is not installed in "
            f"this environment ({sys.prefix}). Run it from its own environment: "
            f"make ... BACKEND={backend}."
        )
    if "keras" in sys.modules and name() != backend:
        raise IrisKerasError(
            f"Received backend={backend!r}, but Keras already runs on {name()} in this process. "
            f"Set KERAS_BACKEND={backend} before Python imports Keras."
        )
    os.environ["KERAS_BACKEND"] = backend
    return backend


def name():
    """The backend Keras runs on in this process: `"tensorflow"`, `"jax"` or `"torch"`."""
    import keras

    return keras.backend.backend()


def seed(value):
    """Seeds Python, NumPy and the backend, and makes TensorFlow's ops deterministic there."""
    import keras

    keras.utils.set_random_seed(value)
    if name() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def jit_compile():
    """The fastest `jit_compile` for the article's tiny network on this backend.

    Measured with `fit_model`, 100 epochs of the article's recipe on 2 CPU cores
    (docs/backends.md): JAX runs op by op without XLA (16 s against 1.4 s with
    it); TensorFlow's XLA costs about 0.5 s of compilation and saves nothing;
    PyTorch's `torch.compile` costs seconds of compilation per model.
    """
    return name() == "jax"


def limit_cpu_threads():
    """Runs PyTorch's CPU operations on one thread; nothing on the other backends.

    A network of a few dozen weights gains nothing from splitting each
    operation over several cores, and PyTorch's worker threads wait for each
    other at every one of its thousands of tiny operations: on 2 busy cores,
    `fit_model` took 5.2 s with PyTorch's default of 2 threads and 0.7 s with
    one (docs/backends.md). TensorFlow and JAX are measured fast as they are.
    """
    if name() == "torch":
        import torch

        torch.set_num_threads(1)


def steps_per_execution(steps):
    """`steps` batches per compiled call where the backend allows it; 1 on PyTorch."""
    return 1 if name() == "torch" else steps


def gpu_names():
    """The names of the GPUs the backend sees, e.g. `["NVIDIA H100 80GB HBM3"]`."""
    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        details = [tf.config.experimental.get_device_details(gpu) for gpu in gpus]
        return [info.get("device_name", gpu.name) for info, gpu in zip(details, gpus, strict=True)]
    if backend == "jax":
        import jax

        return [device.device_kind for device in jax.devices() if device.platform == "gpu"]
    import torch

    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    return [torch.cuda.get_device_name(index) for index in range(count)]


def hide_gpus():
    """Keeps the backend's work on the CPU. Call before its first operation."""
    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.set_visible_devices([], "GPU")
    elif backend == "jax":
        import jax

        jax.config.update("jax_default_device", jax.devices("cpu")[0])
    else:
        import keras

        # Keras's PyTorch backend puts tensors on its device scope; this scope stays open.
        keras.device("cpu").__enter__()


def versions():
    """`{package: version}` for the backend's own packages, e.g. `{"jax": "0.10.2", ...}`."""
    from importlib.metadata import version

    return {package: version(package) for package in PACKAGES[name()]}


def quiet_logger():
    """Silences the backend's Python logger below errors (TensorFlow's retracing notices)."""
    if name() == "tensorflow":
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
