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
  environment variable; worker 0 is the chief.

TensorFlow backend only: the strategies are TensorFlow's.
"""

import contextlib
import functools
import json
import os
import re

from iris_keras.errors import IrisKerasError, UsageError, check_choice, check_positive_int, invalid

STRATEGIES = ("none", "mirrored", "multi-worker")
DEFAULT_REPLICAS = 2
# A worker that dies is noticed by the coordination service's heartbeats (about
# 10 s); a collective that waits longer than this for a worker that hangs fails.
COLLECTIVE_TIMEOUT_SECONDS = 60.0


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
    import keras

    if keras.backend.backend() != "tensorflow":
        raise UsageError(
            f"Received distribute={distribute!r}, which runs on the TensorFlow backend only; "
            f"this is the {keras.backend.backend()!r} backend. Set KERAS_BACKEND=tensorflow "
            "or use --distribute none."
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


def read_tf_config():
    """The cluster of a multi-worker run, from the `TF_CONFIG` environment variable.

    Example of a `TF_CONFIG` for worker 0 of two on one machine:
    `{"cluster": {"worker": ["127.0.0.1:12345", "127.0.0.1:12346"]},
    "task": {"type": "worker", "index": 0}}`.

    Returns:
        `(workers, index)`: the list of `host:port` addresses and this worker's index.

    Raises:
        UsageError: `TF_CONFIG` is missing or does not describe a worker of the cluster.
    """
    text = os.environ.get("TF_CONFIG", "")
    expected = (
        'JSON such as {"cluster": {"worker": ["host1:port", "host2:port"]}, '
        '"task": {"type": "worker", "index": 0}}'
    )
    try:
        config = json.loads(text)
        workers = list(config["cluster"]["worker"])
        task = config["task"]
        index = task["index"]
        ok = task["type"] == "worker" and isinstance(index, int) and 0 <= index < len(workers)
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok or set(config["cluster"]) != {"worker"}:
        raise invalid(
            "TF_CONFIG",
            f"{expected}, the same cluster for every worker and each worker's own index",
            text,
            "Set it in the environment of each worker (see docs/scaling-out.md)",
        )
    return workers, index


def local_tf_configs(count):
    """The `TF_CONFIG` of each of `count` workers on this machine, on free loopback ports.

    Returns:
        A list of `count` JSON strings; give worker `i` the `i`-th as its
        `TF_CONFIG` environment variable.
    """
    import socket

    count = check_positive_int("count", count)
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))  # the system picks a free port
        workers = [f"127.0.0.1:{sock.getsockname()[1]}" for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    cluster = {"worker": workers}
    return [
        json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})
        for index in range(count)
    ]


def is_chief(distribute="none"):
    """Whether this process writes the artifacts: yes, unless it is worker 1, 2, ... of a cluster.

    Reads `TF_CONFIG` only, so it answers before TensorFlow starts.
    """
    return distribute != "multi-worker" or read_tf_config()[1] == 0


def describe_strategy(strategy):
    """What `metrics.json` records: the strategy, replicas, workers and this worker's index.

    Returns:
        A dict such as `{"strategy": "mirrored", "replicas": 2, "workers": 1, "worker": 0}`.
    """
    if strategy is None:
        return {"strategy": "none", "replicas": 1, "workers": 1, "worker": 0}
    replicas = strategy.num_replicas_in_sync
    if not _is_multi_worker(strategy):
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


@contextlib.contextmanager
def lost_workers_reported(strategy):
    """Turns TensorFlow's error for a dead or hung worker into one line that names it.

    A worker that dies stops sending heartbeats to the cluster's coordination
    service (the survivors fail in about 10 s), or resets its connections (at
    once); one that hangs makes a collective outlast
    `COLLECTIVE_TIMEOUT_SECONDS`.

    Raises:
        IrisKerasError: a worker stopped answering during the block.
    """
    if strategy is None:  # one device, on any backend: nothing to report
        yield
        return
    import tensorflow as tf

    try:
        yield
    except (tf.errors.UnavailableError, tf.errors.DeadlineExceededError) as error:
        if not _is_multi_worker(strategy):
            raise
        workers, index = read_tf_config()
        raise IrisKerasError(lost_worker_message(error, workers, index)) from None


def lost_worker_message(error, workers, index):
    """The one-line message for `error`, naming the workers it mentions other than `index`.

    Example:
    >>> error = RuntimeError("unhealthy (stopped sending heartbeats): /job:worker/replica:0/task:1")
    >>> lost_worker_message(error, ["10.0.0.1:2222", "10.0.0.2:2222"], 0)[:38]
    'Lost worker 1 (10.0.0.2:2222): it stop'
    """
    tasks = {
        int(task) for task in re.findall(r"/job:worker/(?:replica:\d+/)?task:(\d+)", str(error))
    }
    lost = sorted(task for task in tasks - {index} if task < len(workers))
    names = " and ".join(f"worker {task} ({workers[task]})" for task in lost) or "a worker"
    return (
        f"Lost {names}: it stopped answering during training ({type(error).__name__}). "
        "Restart every worker with the same command to resume from the chief's last backup."
    )


def sync_from_chief(strategy, model, epoch):
    """Gives every worker the chief's weights, optimizer state and epoch (a resumed run).

    Only the chief keeps a backup; after it restores one, every worker must
    start from the same weights and epoch. The chief's values are summed with
    zeros from the other replicas in one all-reduce. Nothing happens without
    a multi-worker strategy.

    Args:
        strategy: the strategy of the run, or `None`.
        model: the compiled model, built under `strategy`'s scope.
        epoch: the epoch this worker would resume from.

    Returns:
        The chief's epoch.
    """
    if not _is_multi_worker(strategy):
        return epoch
    import tensorflow as tf

    with strategy.scope():
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
    variables = [*model.weights, *model.optimizer.variables]

    # float64 holds every float32 weight and integer step count exactly.
    values = [tf.constant(epoch, tf.float64)] + [tf.cast(v.value, tf.float64) for v in variables]

    def chief_values():
        context = tf.distribute.get_replica_context()
        first = context.replica_id_in_sync_group == 0
        kept = [tf.where(first, value, tf.zeros_like(value)) for value in values]
        return context.all_reduce(tf.distribute.ReduceOp.SUM, kept)

    synced = strategy.experimental_local_results(tf.function(lambda: strategy.run(chief_values))())[
        0
    ]
    for variable, value in zip(variables, synced[1:], strict=True):
        variable.assign(tf.cast(value, variable.dtype))
    return int(synced[0].numpy())


def _is_multi_worker(strategy):
    if strategy is None:
        return False
    import tensorflow as tf

    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


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
