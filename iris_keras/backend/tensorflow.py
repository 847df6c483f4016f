"""The TensorFlow backend's answers (see `iris_keras.backend`)."""

PACKAGES = ("tensorflow",)
JIT_COMPILE = False  # XLA costs its compilation here and saves nothing (docs/backends.md)
MAX_STEPS_PER_EXECUTION = None  # any number of batches per compiled call
CACHES_LOGITS = True  # Keras's sigmoid and softmax keep their logits on the output tensor


def make_deterministic():
    """Makes TensorFlow's ops pick deterministic kernels (on a GPU too, at some cost)."""
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()


def limit_cpu_threads():
    """Nothing: TensorFlow is measured fast with its own thread pools."""


def one_thread():
    """One thread for TensorFlow's operations, and one to schedule them (if not started yet)."""
    import tensorflow as tf

    try:
        tf.config.threading.set_inter_op_parallelism_threads(1)
        tf.config.threading.set_intra_op_parallelism_threads(1)
    except RuntimeError:  # TensorFlow's runtime already started: it keeps its threads
        pass


def sync_training_state(model):
    """Nothing: `fit` trains the model's own variables."""


def gpu_names():
    """The names of the GPUs TensorFlow sees."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    details = [tf.config.experimental.get_device_details(gpu) for gpu in gpus]
    return [info.get("device_name", gpu.name) for info, gpu in zip(details, gpus, strict=True)]


def hide_gpus():
    """Keeps TensorFlow off every GPU."""
    import tensorflow as tf

    tf.config.set_visible_devices([], "GPU")


def quiet_logger():
    """Silences TensorFlow's Python logger below errors (its retracing notices)."""
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")


def training_feed(x, y, orders, *, batch_size):
    """One `tf.data` pipeline: each epoch's order, cut into batches, gathered from `x` and `y`.

    `tf.distribute` strategies split its batches into per-replica batches
    exactly; a generator wrapped in `tf.data.Dataset.from_generator` trains a
    mirrored model differently (weights 1e-2 away from one device's after
    100 epochs).
    """
    import tensorflow as tf

    features, labels = tf.constant(x), tf.constant(y)
    batches = tf.data.Dataset.from_tensor_slices(orders).flat_map(
        lambda order: tf.data.Dataset.from_tensor_slices(order).batch(batch_size)
    )
    return batches.map(lambda index: (tf.gather(features, index), tf.gather(labels, index)))


def vjp(function, x, upstream):
    """`function(x)` and its vector-Jacobian product, with a `GradientTape`."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(x)
        value = function(x)
    return value, tape.gradient(value, x, output_gradients=upstream)


def value_and_gradients(loss_of, variables):
    """`loss_of()` and its gradient for each variable, with a `GradientTape`."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        value = loss_of()
    return value, tape.gradient(value, variables)


def nan_as_loss(loss, y_true, y_pred):
    """`loss(y_true, y_pred)` as it is: a NaN probability already gives a NaN loss here."""
    return loss(y_true, y_pred)
