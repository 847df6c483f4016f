"""The JAX backend's answers (see `iris_keras.backend`)."""

from iris_keras.backend.generator import training_feed

PACKAGES = ("jax", "jaxlib")
JIT_COMPILE = True  # op by op, JAX is many times slower (docs/backends.md)
MAX_STEPS_PER_EXECUTION = None
CACHES_LOGITS = False

__all__ = ["training_feed"]


def make_deterministic():
    """Nothing: JAX's CPU ops are deterministic."""


def limit_cpu_threads():
    """Nothing: JAX is measured fast as it is."""


def one_thread():
    """Nothing: JAX is measured fast as it is."""


def sync_training_state(model):
    """Writes the state `fit` carries (weights, optimizer, metrics) into the model's variables."""
    model.jax_state_sync()


def gpu_names():
    """The names of the GPUs JAX sees."""
    import jax

    return [device.device_kind for device in jax.devices() if device.platform == "gpu"]


def hide_gpus():
    """Puts JAX's arrays on the CPU by default."""
    import jax

    jax.config.update("jax_default_device", jax.devices("cpu")[0])


def quiet_logger():
    """Nothing: JAX logs nothing per run."""


def vjp(function, x, upstream):
    """`function(x)` and its vector-Jacobian product, with `jax.vjp`."""
    import jax
    import jax.numpy as jnp

    value, pullback = jax.vjp(function, x)
    return value, pullback(jnp.ones_like(value) if upstream is None else upstream)[0]


def value_and_gradients(loss_of, variables):
    """`loss_of()` and its gradient for each variable, with `jax.value_and_grad`.

    JAX differentiates pure functions, so the loss is recomputed as a function
    of the variables' values through Keras's stateless scope.
    """
    import jax
    import keras

    def pure(values):
        with keras.StatelessScope(state_mapping=list(zip(variables, values, strict=True))):
            return loss_of()

    return jax.value_and_grad(pure)([variable.value for variable in variables])


def nan_as_loss(loss, y_true, y_pred):
    """`loss(y_true, y_pred)` as it is: a NaN probability already gives a NaN loss here."""
    return loss(y_true, y_pred)
