"""§6's multi-worker runs: the cluster in `TF_CONFIG`, the chief, and the workers it may lose.

A `"multi-worker"` run (`distribute.make_strategy`) is one process per
worker, each started with the standard `TF_CONFIG` environment variable
naming every worker's address and its own index; worker 0 is the chief. The
chief alone writes the artifacts and keeps the backup (`is_chief`), gives a
resumed run's weights to every worker (`sync_from_chief`), and a worker that
dies or hangs stops the others with one line naming it
(`lost_workers_reported`). TensorFlow backend only.
"""

import contextlib
import json
import os
import re

from iris_keras.errors import IrisKerasError, check_positive_int, invalid

# A worker that dies is noticed by the coordination service's heartbeats (about
# 10 s); a collective that waits longer than this for a worker that hangs fails.
COLLECTIVE_TIMEOUT_SECONDS = 60.0


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
        if not is_multi_worker(strategy):
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
    if not is_multi_worker(strategy):
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


def is_multi_worker(strategy):
    """Whether `strategy` is a multi-worker strategy (one process per worker)."""
    if strategy is None:
        return False
    import tensorflow as tf

    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
