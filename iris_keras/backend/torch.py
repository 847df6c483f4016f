"""The PyTorch backend's answers (see `iris_keras.backend`)."""

from iris_keras.backend.generator import training_feed

PACKAGES = ("torch",)
JIT_COMPILE = False  # torch.compile costs seconds of compilation per model
MAX_STEPS_PER_EXECUTION = 1  # Keras's PyTorch trainer runs one batch per call
CACHES_LOGITS = False

__all__ = ["training_feed"]


def make_deterministic():
    """Nothing: PyTorch's CPU ops used here are deterministic."""


def limit_cpu_threads():
    """Runs PyTorch's CPU operations on one thread (see `iris_keras.backend.limit_cpu_threads`)."""
    import torch

    torch.set_num_threads(1)


def one_thread():
    """One thread for PyTorch's CPU operations, as `limit_cpu_threads`."""
    limit_cpu_threads()


def sync_training_state(model):
    """Nothing: `fit` trains the model's own variables."""


def gpu_names():
    """The names of the GPUs PyTorch sees."""
    import torch

    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    return [torch.cuda.get_device_name(index) for index in range(count)]


def hide_gpus():
    """Opens Keras's CPU device scope for good: Keras's PyTorch backend puts tensors there."""
    import keras

    keras.device("cpu").__enter__()


def quiet_logger():
    """Nothing: PyTorch logs nothing per run."""


def vjp(function, x, upstream):
    """`function(x)` and its vector-Jacobian product, with `torch.autograd.grad`."""
    import torch

    x = x.detach().requires_grad_(True)
    value = function(x)
    upstream = torch.ones_like(value) if upstream is None else upstream
    return value, torch.autograd.grad(value, x, grad_outputs=upstream)[0]


def value_and_gradients(loss_of, variables):
    """`loss_of()` and its gradient for each variable, with `torch.autograd.grad`."""
    import torch

    value = loss_of()
    return value, torch.autograd.grad(value, [variable.value for variable in variables])


def nan_as_loss(loss, y_true, y_pred):
    """`loss(y_true, y_pred)`, NaN where a row holds a NaN probability, instead of an error.

    PyTorch's `binary_cross_entropy` refuses NaN probabilities ("all elements
    of input should be between 0 and 1"): they are replaced by 0.5 before it,
    and the row's loss set to NaN after it.
    """
    from keras import ops

    is_nan = ops.isnan(y_pred)
    values = loss(y_true, ops.where(is_nan, 0.5, y_pred))
    return ops.where(ops.any(is_nan, axis=-1), float("nan"), values)
