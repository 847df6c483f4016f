"""§6: "use distributed computing": the same recipe, data-parallel over devices and processes.

The article's answer to deep learning's limits includes distributed
computing; this module is what that means for its network. Under a
`tf.distribute` strategy, Keras's `fit` copies the model to every replica,
splits each global batch of 32 into one slice per replica (16 and 16; the
last batch of 24 into 12 and 12), and all-reduces the gradients, so every
step is the one-device step of the whole batch:

    g = (g_replica_0 + g_replica_1) / 2   # the mean of two means of 16 = the mean of 32
    w = w + (momentum * velocity - learning_rate * g)

- `"none"`: one device, no strategy.
- `"mirrored"`: `tf.distribute.MirroredStrategy` over `replicas` devices of
  one process; with fewer GPUs than that, the CPU is split into `replicas`
  logical devices (`tf.config.set_logical_device_configuration`), so it runs
  on a laptop.
- `"multi-worker"`: `tf.distribute.MultiWorkerMirroredStrategy`, one process
  per worker, talking gRPC to the addresses in the standard `TF_CONFIG`
  environment variable; worker 0 is the chief (`iris_keras.app.cluster`).

TensorFlow backend only: the strategies are TensorFlow's.
"""

import contextlib
import functools

from iris_keras import backend
from iris_keras.app.cluster import (
    COLLECTIVE_TIMEOUT_SECONDS,
    is_multi_worker,
    read_tf_config,
)
from iris_keras.errors import IrisKerasError, check_choice, check_positive_int, invalid

STRATEGIES = ("none", "mirrored", "multi-worker")
DEFAULT_REPLICAS = 2


def make_strategy(distribute="none", *, replicas=None):
    """Makes the `tf.distribute` strategy of `distribute`, or `None` for one device.

    Call it before TensorFlow runs its first operation: splitting the CPU into
    logical devices is only possible before that (in a notebook: first cell).

    Args:
        distribute: `"none"`, `"mirrored"` or `"multi-worker"`.
            Defaults to `"none"`.
        replicas: for `"mirrored"`, the number of replicas, a positive
            integer; `None` takes every GPU, or 2 CPU halves on a machine
            without one. Only `"mirrored"` accepts it. Defaults to `None`.

    Returns:
        A `tf.distribute.Strategy`, or `None` for `"none"`.

    Raises:
        UsageError: a bad argument, another Keras backend than TensorFlow,
            or a missing or bad `TF_CONFIG` for `"multi-worker"`.
        IrisKerasError: TensorFlow already started with fewer devices.
    """
    distribute, replicas = check_distribute(distribute, replicas)
    if distribute == "none":
        return None
    backend.require_tensorflow(
        f"distribute={distribute!r}",
        hint="Set KERAS_BACKEND=tensorflow or use --distribute none.",
    )
    import tensorflow as tf

    tf.get_logger().setLevel("WARNING")  # not a line per all-reduce ("Reduce to ...")
    if distribute == "mirrored":
        return tf.distribute.MirroredStrategy(_replica_devices(replicas))
    return _multi_worker_strategy_class()(
        communication_options=tf.distribute.experimental.CommunicationOptions(
            timeout_seconds=COLLECTIVE_TIMEOUT_SECONDS
        )
    )


def check_distribute(distribute, replicas=None):
    """Checks `make_strategy`'s arguments, and `TF_CONFIG` for `"multi-worker"`, without TensorFlow.

    Returns:
        `(distribute, replicas)`, checked.

    Raises:
        UsageError: a bad argument or `TF_CONFIG`.
    """
    distribute = check_choice("distribute", distribute, STRATEGIES)
    if replicas is not None:
        replicas = check_positive_int("replicas", replicas)
        if distribute != "mirrored" and replicas != 1:
            raise invalid(
                "replicas",
                f"1 with distribute={distribute!r} (only 'mirrored' splits a process into "
                "replicas; a multi-worker run has one per worker)",
                replicas,
            )
    if distribute == "multi-worker":
        read_tf_config()
    return distribute, replicas


def _replica_devices(replicas):
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus and (replicas is None or replicas <= len(gpus)):
        return [f"/gpu:{index}" for index in range(replicas or len(gpus))]
    replicas = replicas or DEFAULT_REPLICAS
    use_logical_cpus(replicas)
    return [f"/cpu:{index}" for index in range(replicas)]


def use_logical_cpus(count):
    """Splits the CPU into `count` logical devices, `/cpu:0` to `/cpu:{count - 1}`.

    Nothing changes when the CPU is already split into at least `count`.

    Raises:
        IrisKerasError: TensorFlow already started with fewer CPU devices.
    """
    import tensorflow as tf

    count = check_positive_int("replicas", count)
    cpu = tf.config.list_physical_devices("CPU")[0]
    current = tf.config.get_logical_device_configuration(cpu) or [None]
    if len(current) >= count:
        return
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)]
        )
    except RuntimeError:
        raise IrisKerasError(
            f"Cannot split the CPU into replicas={count} devices: TensorFlow already started "
            f"with {len(current)}. Make the strategy before any TensorFlow operation (in a "
            "notebook: restart the kernel and make it in the first cell)."
        ) from None


def describe_strategy(strategy):
    """What `metrics.json` records: the strategy, replicas, workers and this worker's index.

    Returns:
        A dict such as `{"strategy": "mirrored", "replicas": 2, "workers": 1, "worker": 0}`.
    """
    if strategy is None:
        return {"strategy": "none", "replicas": 1, "workers": 1, "worker": 0}
    replicas = strategy.num_replicas_in_sync
    if not is_multi_worker(strategy):
        return {"strategy": "mirrored", "replicas": replicas, "workers": 1, "worker": 0}
    workers, index = read_tf_config()
    return {
        "strategy": "multi-worker",
        "replicas": replicas,
        "workers": len(workers),
        "worker": index,
    }


def strategy_scope(strategy):
    """The strategy's scope, or a context that does nothing for one device."""
    return contextlib.nullcontext() if strategy is None else strategy.scope()


@functools.cache
def _multi_worker_strategy_class():
    import tensorflow as tf

    class MultiWorkerStrategy(tf.distribute.MultiWorkerMirroredStrategy):
        """`MultiWorkerMirroredStrategy` whose `reduce` takes what Keras 3's `fit` passes it.

        Keras 3.15's `fit` asks the strategy to reduce a nested `(x, y)` batch
        and `axis=0` of scalar metrics, which `MirroredStrategy` accepts and
        `MultiWorkerMirroredStrategy` rejects (keras-team/keras#20585). This
        `reduce` reduces each tensor of a nest, and a scalar over replicas.
        """

        def reduce(self, reduce_op, value, axis):
            def reduce_one(tensor):
                rank = self.experimental_local_results(tensor)[0].shape.rank
                return super(MultiWorkerStrategy, self).reduce(
                    reduce_op, tensor, axis if axis is not None and axis < rank else None
                )

            return tf.nest.map_structure(reduce_one, value)

    return MultiWorkerStrategy


def replica_gradients(model, strategy, x, y):
    """The all-reduce of one step, shown: each replica's gradient and their mean.

    `strategy` splits the global batch `(x, y)` into one slice per replica;
    each replica computes the gradient of its slice's mean loss, and the
    all-reduce averages them, as `fit` does in every step:

        g = (g_replica_0 + ... + g_replica_{n-1}) / n

    Args:
        model: a compiled model built under `strategy`'s scope.
        strategy: a `tf.distribute.Strategy` with replicas on this process.
        x: one global batch of features, shape `(batch, 4)`.
        y: its labels.

    Returns:
        `(per_replica, averaged)`: a list (one entry per replica) of lists of
        NumPy gradients, one per trainable weight, and the all-reduced list.
    """
    import numpy as np
    import tensorflow as tf

    batch = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices((x, y)).batch(len(x))
    )
    x_replicas, y_replicas = next(iter(batch))

    def step(x_slice, y_slice):
        with tf.GradientTape() as tape:
            # Keras divides each replica's loss by the number of replicas.
            loss = model.compute_loss(x=x_slice, y=y_slice, y_pred=model(x_slice, training=True))
        scaled = tape.gradient(loss, [v.value for v in model.trainable_variables])
        context = tf.distribute.get_replica_context()
        return scaled, context.all_reduce(tf.distribute.ReduceOp.SUM, scaled)

    scaled, summed = strategy.run(tf.function(step), args=(x_replicas, y_replicas))
    replicas = strategy.num_replicas_in_sync
    per_replica = [
        [np.asarray(gradient) * replicas for gradient in gradients]
        for gradients in zip(*[strategy.experimental_local_results(g) for g in scaled], strict=True)
    ]
    averaged = [np.asarray(strategy.experimental_local_results(g)[0]) for g in summed]
    return per_replica, averaged
