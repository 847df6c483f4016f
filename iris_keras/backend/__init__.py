"""The one place that answers "which backend?": TensorFlow, JAX or PyTorch.

Keras 3 picks its backend once per process, from the `KERAS_BACKEND`
environment variable (else `~/.keras/keras.json`, else TensorFlow), before
`import keras`. Like Keras's own `keras/src/backend/`, each backend's answer
to every question lives in one module, `iris_keras/backend/<name>.py`
(`tensorflow.py`, `jax.py`, `torch.py`), and the functions here dispatch to
the module of the backend Keras runs on. No other module of the package
branches on the backend's name; the TensorFlow-only features (`tf.distribute`,
TensorBoard logs) ask `require_tensorflow`.

Per concern, what differs:

- seeding: `keras.utils.set_random_seed` on every backend, plus
  TensorFlow's deterministic op kernels on TensorFlow;
- devices: each backend lists and hides its own GPUs;
- compiling: XLA (`jit_compile=True`) on JAX, where op-by-op execution is
  ten times slower; off on TensorFlow and PyTorch (see `jit_compile`);
- `steps_per_execution`: PyTorch accepts only 1;
- CPU threads: one for PyTorch, whose threads cost more than they save here;
  one per worker process of the study on every backend (`one_thread`);
- training state: JAX keeps the weights apart from the model while `fit`
  runs; a callback that reads them syncs them first (`sync_training_state`);
- the training feed: one `tf.data` pipeline on TensorFlow, a generator elsewhere;
- automatic differentiation: `GradientTape`, `jax.vjp`, `torch.autograd`;
- cross-entropy: from the cached logits on TensorFlow, from clipped
  probabilities elsewhere (`caches_logits`); a NaN probability is a NaN
  loss, except that PyTorch's binary cross-entropy raises (`nan_as_loss`);
- versions: the backend's own packages go into `metrics.json`.

Importing this package imports no backend: each module imports its framework
inside the functions that need it.
"""

import functools
import importlib
import os
import sys

BACKENDS = ("tensorflow", "jax", "torch")
DEFAULT_BACKEND = "tensorflow"


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

    from iris_keras.errors import IrisKerasError, UsageError, check_choice

    backend = check_choice("backend", backend, BACKENDS)
    package = packages(backend)[0]
    if importlib.util.find_spec(package) is None:
        raise UsageError(
            f"Received backend={backend!r}, but {package} is not installed in "
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
    from iris_keras.backend.quiet import import_keras

    return import_keras().backend.backend()


def configured():
    """The backend Keras runs on, or will run on, without importing Keras.

    Keras's own answer once Keras is imported, else the `KERAS_BACKEND`
    environment variable, else the `"backend"` of Keras's configuration file
    (`$KERAS_HOME/keras.json`, by default `~/.keras/keras.json`), else
    TensorFlow (Keras's default): the order Keras itself reads them in.
    """
    keras = sys.modules.get("keras")
    if keras is not None:
        return keras.backend.backend()
    if "KERAS_BACKEND" in os.environ:
        return os.environ["KERAS_BACKEND"]
    return _configuration_file().get("backend", DEFAULT_BACKEND)


def _configuration_file():
    """Keras's `keras.json`, as a dict; `{}` when there is none or it is not JSON."""
    import json
    from pathlib import Path

    home = os.environ.get("KERAS_HOME")
    if home is None:  # as Keras finds it: ~/.keras, or /tmp/.keras without a writable home
        base = Path("~").expanduser()
        home = str((base if os.access(base, os.W_OK) else Path("/tmp")) / ".keras")
    try:
        return json.loads((Path(home) / "keras.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def seed(value):
    """Seeds Python, NumPy and the backend, and makes TensorFlow's ops deterministic there."""
    from iris_keras.backend.quiet import import_keras

    import_keras().utils.set_random_seed(value)
    _current().make_deterministic()


def jit_compile():
    """The fastest `jit_compile` for the article's tiny network on this backend.

    Chosen by measuring `fit_model`, 100 epochs of the article's recipe
    (docs/backends.md has the figures): JAX runs op by op without XLA, many
    times slower; TensorFlow's XLA costs its compilation and saves nothing;
    PyTorch's `torch.compile` costs seconds of compilation per model.
    """
    return _current().JIT_COMPILE


def limit_cpu_threads():
    """Runs PyTorch's CPU operations on one thread; nothing on the other backends.

    A network of a few dozen weights gains nothing from splitting each
    operation over several cores, and PyTorch's worker threads wait for each
    other at every one of its thousands of tiny operations: `fit_model` is
    several times faster on one thread than on PyTorch's default of one per
    core (docs/backends.md has the figures). TensorFlow and JAX are measured
    fast as they are.
    """
    _current().limit_cpu_threads()


def one_thread():
    """Runs this process's CPU operations on one thread: for worker processes, one per core.

    The study's workers run one per core, each training its own stacked
    model: threads that split one model's small operations over the cores
    only wait for each other and for the other workers (TensorFlow's idle
    threads spin). Call it before the backend's first operation; later,
    TensorFlow keeps the threads it started with.
    """
    _current().one_thread()


def sync_training_state(model):
    """Puts the weights `fit` is training back into `model`'s variables, mid-`fit`.

    On JAX, `fit` carries the weights apart from the model's variables
    between its epochs; a callback that calls the model, or another model
    sharing its layers, syncs them first. Nothing on TensorFlow and PyTorch,
    which train the variables themselves.
    """
    _current().sync_training_state(model)


def steps_per_execution(steps):
    """`steps` batches per compiled call where the backend allows it; 1 on PyTorch."""
    return min(steps, _current().MAX_STEPS_PER_EXECUTION or steps)


def gpu_names():
    """The names of the GPUs the backend sees, e.g. `["NVIDIA H100 80GB HBM3"]`."""
    return _current().gpu_names()


def hide_gpus():
    """Keeps the backend's work on the CPU. Call before its first operation."""
    _current().hide_gpus()


def packages(backend=None):
    """The distributions of a backend's own framework, e.g. `("jax", "jaxlib")`.

    Args:
        backend: a backend's name; `None` for the one Keras runs on.
            Defaults to `None`.

    >>> packages("tensorflow"), packages("jax"), packages("torch")
    (('tensorflow',), ('jax', 'jaxlib'), ('torch',))
    """
    return _module(backend or name()).PACKAGES


def versions(backend=None):
    """`{package: version}` for a backend's own packages, e.g. `{"jax": "0.10.2", ...}`.

    Args:
        backend: a backend's name; `None` for the one Keras runs on (which
            imports Keras). Defaults to `None`.
    """
    from importlib.metadata import version

    return {package: version(package) for package in packages(backend)}


def quiet_logger():
    """Silences the backend's Python logger below errors (TensorFlow's retracing notices)."""
    _current().quiet_logger()


def training_feed(x, y, orders, *, batch_size):
    """What `fit` reads: each order in `orders` (one epoch's shuffle) cut into batches.

    On TensorFlow one `tf.data` pipeline, which `tf.distribute` strategies
    split into per-replica batches exactly; elsewhere a Python generator of
    NumPy batches.

    Args:
        x: features, a NumPy array of shape `(n, 4)`.
        y: labels, a NumPy array of `n` rows.
        orders: int array of shape `(epochs, n)`, one permutation per epoch.
        batch_size: samples per batch; batches never straddle two epochs.

    Returns:
        A generator or a `tf.data.Dataset` of `(x_batch, y_batch)`.
    """
    return _current().training_feed(x, y, orders, batch_size=batch_size)


def vjp(function, x, upstream):
    """`function(x)` and the vector-Jacobian product `upstream · d function / dx`, as tensors.

    `upstream` is a tensor of `function(x)`'s shape, or `None` for ones.
    """
    return _current().vjp(function, x, upstream)


def value_and_gradients(loss_of, variables):
    """`loss_of()` and its gradient for each Keras variable in `variables`, as tensors."""
    return _current().value_and_gradients(loss_of, variables)


def caches_logits(backend=None):
    """Whether Keras computes cross-entropy from the output layer's cached logits.

    On TensorFlow, Keras's `sigmoid` and `softmax` keep their input `z` on
    their output tensor, and the cross-entropies use it; JAX and PyTorch
    tensors carry no such attribute, so there Keras computes the loss from
    the clipped probabilities.

    Args:
        backend: a backend's name; `None` for `configured()`. Defaults to `None`.

    >>> caches_logits("tensorflow"), caches_logits("jax"), caches_logits("torch")
    (True, False, False)
    """
    from iris_keras.errors import check_choice

    return _module(check_choice("backend", backend or configured(), BACKENDS)).CACHES_LOGITS


def nan_as_loss(loss, y_true, y_pred):
    """`loss(y_true, y_pred)`, NaN where a row of `y_pred` holds a NaN probability.

    TensorFlow and JAX give a NaN loss for a NaN probability; PyTorch's
    `binary_cross_entropy` raises instead, so one diverged copy of a stacked
    model would stop all of them. There the NaN probabilities are replaced by
    0.5 before the loss and the row's loss set to NaN after it; the other
    rows' values and gradients are unchanged.

    Args:
        loss: a Keras loss function reducing the last axis, e.g.
            `keras.losses.binary_crossentropy`.
        y_true: the labels, shape `(..., classes)`.
        y_pred: the probabilities, shape `(..., classes)`.

    Returns:
        The loss of each row, shape `y_pred.shape[:-1]`.
    """
    return _current().nan_as_loss(loss, y_true, y_pred)


def require_tensorflow(feature, *, hint):
    """Raises a one-line `UsageError` unless Keras runs on TensorFlow.

    For the features only TensorFlow has: `tf.distribute` strategies and
    TensorBoard's summary writer.

    Args:
        feature: what was asked for, e.g. `"distribute='mirrored'"`.
        hint: the sentence that says what to do instead.
    """
    from iris_keras.errors import UsageError

    if name() != "tensorflow":
        raise UsageError(
            f"Received {feature}, which runs on the TensorFlow backend only; this is the "
            f"{name()!r} backend. {hint}"
        )


def _current():
    return _module(name())


@functools.cache
def _module(backend):
    return importlib.import_module(f"iris_keras.backend.{backend}")
