"""Data parallelism is the same SGD: one device = mirrored = two worker processes.

The slow tests train the article recipe for 100 epochs three ways, all from
the same seed (so the same initial weights: a mirrored model copies its
variables' initial values to every replica, and a multi-worker model takes
the chief's): on one device in this process, mirrored over 2 logical CPU
devices in a subprocess, and as 2 worker processes on 127.0.0.1. The
multi-worker run is also the fault test: worker 1 is killed with SIGKILL
mid-run, the chief must stop with a one-line error naming it, and the rerun
of both workers resumes from the chief's backup. Where the runs sum the same
two half-batch gradients (mirrored and multi-worker), they agree to the bit;
against the one-device run, within float rounding.
"""

import json
import os
import re
import signal
import subprocess
import time

import numpy as np
import pytest

from iris_keras.app.cli import main
from iris_keras.app.cluster import (
    COLLECTIVE_TIMEOUT_SECONDS,
    is_chief,
    local_tf_configs,
    lost_worker_message,
    read_tf_config,
)
from iris_keras.app.distribute import (
    check_distribute,
    describe_strategy,
    make_strategy,
    use_logical_cpus,
)
from iris_keras.errors import IrisKerasError, UsageError
from tests.support.helpers import cli_command

EPOCHS = 100
KILL_AFTER_EPOCH = 30
RUN_TIMEOUT_SECONDS = 300
# A killed worker is noticed by heartbeats in about 10 s; a collective waits at most
# COLLECTIVE_TIMEOUT_SECONDS. The survivor must be gone within both, plus its start-up.
SURVIVOR_TIMEOUT_SECONDS = COLLECTIVE_TIMEOUT_SECONDS + 30


def tf_config(workers, index):
    return json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})


TWO_WORKERS = ["127.0.0.1:2222", "127.0.0.1:2223"]

BAD_ARGUMENTS = [
    pytest.param("parallel", None, None, "distribute='parallel'", id="distribute"),
    pytest.param("mirrored", 0, None, "replicas=0", id="replicas-zero"),
    pytest.param("none", 2, None, "expected 1 with distribute='none'", id="replicas-one-device"),
    pytest.param(
        "multi-worker", 2, tf_config(TWO_WORKERS, 0), "distribute='multi-worker'", id="replicas-mw"
    ),
    pytest.param("multi-worker", None, None, "TF_CONFIG=''", id="tf-config-missing"),
    pytest.param("multi-worker", None, "{worker", "TF_CONFIG='{worker'", id="tf-config-json"),
    pytest.param(
        "multi-worker", None, tf_config(TWO_WORKERS, 2), '"index": 2}}', id="tf-config-index"
    ),
    pytest.param(
        "multi-worker",
        None,
        json.dumps({"cluster": {"chief": ["a:1"], "worker": ["b:1"]}, "task": {"type": "chief"}}),
        "chief",
        id="tf-config-chief-job",
    ),
]


@pytest.mark.parametrize("distribute, replicas, config, match", BAD_ARGUMENTS)
def test_bad_arguments_name_the_value(distribute, replicas, config, match, monkeypatch):
    if config is None:
        monkeypatch.delenv("TF_CONFIG", raising=False)
    else:
        monkeypatch.setenv("TF_CONFIG", config)
    with pytest.raises(UsageError, match=f"Received.*{match}".replace("{", r"\{")) as error:
        check_distribute(distribute, replicas)
    if "TF_CONFIG" in str(error.value):
        assert str(error.value).endswith(
            ". Set it in the environment of each worker (see docs/scaling-out.md)"
        )


def test_cli_rejects_replicas_without_mirrored_in_one_line(capsys):
    assert main(["train", "--distribute", "none", "--replicas", "2"]) == 2
    error = capsys.readouterr().err
    assert "replicas=2" in error and error.count("\n") == 1


def test_cli_rejects_an_unknown_strategy_in_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--distribute", "ring"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "distribute='ring'" in error and error.count("\n") == 1


def test_other_backends_get_a_one_line_usage_error(monkeypatch):
    import keras

    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    with pytest.raises(UsageError, match="TensorFlow backend only; this is the 'jax' backend"):
        make_strategy("mirrored", replicas=2)
    assert make_strategy("none") is None  # one device needs no strategy, on any backend


@pytest.mark.parametrize(
    "distribute, index, chief",
    [
        pytest.param("none", None, True, id="one-device"),
        pytest.param("mirrored", None, True, id="mirrored"),
        pytest.param("multi-worker", 0, True, id="worker-0"),
        pytest.param("multi-worker", 1, False, id="worker-1"),
    ],
)
def test_only_worker_0_is_the_chief(distribute, index, chief, monkeypatch):
    if index is not None:
        monkeypatch.setenv("TF_CONFIG", tf_config(TWO_WORKERS, index))
        assert read_tf_config() == (TWO_WORKERS, index)
    assert is_chief(distribute) is chief


def test_one_device_is_described_as_one_replica():
    assert describe_strategy(None) == {"strategy": "none", "replicas": 1, "workers": 1, "worker": 0}


@pytest.mark.parametrize(
    "text, index, named",
    [
        pytest.param(
            "CollectiveReduceV2_device_/job:worker/replica:0/task:0/device:CPU:0 Collective ops "
            "is aborted by: Error reported from /job:worker/task:1: The following tasks are "
            "unhealthy (stopped sending heartbeats):\n/job:worker/replica:0/task:1",
            0,
            "Lost worker 1 (127.0.0.1:2223):",
            id="heartbeat",
        ),
        pytest.param(
            "CollectiveReduceV2_device_/job:worker/replica:0/task:1/device:CPU:0 aborted by: "
            "recvmsg:Connection reset by peer from remote target /job:worker/replica:0/task:0",
            1,
            "Lost worker 0 (127.0.0.1:2222):",
            id="connection-reset",
        ),
        pytest.param("Deadline exceeded", 0, "Lost a worker:", id="timeout"),
    ],
)
def test_the_lost_worker_is_named_in_one_line(text, index, named):
    message = lost_worker_message(RuntimeError(text), TWO_WORKERS, index)
    assert message.startswith(named) and "\n" not in message
    assert message.endswith(
        ": it stopped answering during training (RuntimeError). Restart every worker "
        "with the same command to resume from the chief's last backup."
    )


def test_a_cluster_of_no_workers_is_refused():
    with pytest.raises(UsageError, match=r"`count`.*Received: count=0"):
        local_tf_configs(0)


def test_the_cpu_cannot_be_split_once_tensorflow_runs():
    import keras

    if keras.backend.backend() != "tensorflow":  # JAX, PyTorch: refused before any device work
        with pytest.raises(UsageError, match="TensorFlow backend only"):
            make_strategy("mirrored", replicas=64)
        return
    import tensorflow as tf

    tf.constant(0)  # TensorFlow has started in this process
    with pytest.raises(IrisKerasError) as error:
        use_logical_cpus(64)
    assert re.fullmatch(
        r"Cannot split the CPU into replicas=64 devices: TensorFlow already started with \d+\. "
        r"Make the strategy before any TensorFlow operation \(in a notebook: restart the kernel "
        r"and make it in the first cell\)\.",
        str(error.value),
    )
    assert use_logical_cpus(1) is None  # as many devices as asked for: nothing to split


def test_one_replicas_gradients_are_the_one_device_gradient():
    import keras

    if keras.backend.backend() != "tensorflow":
        with pytest.raises(UsageError, match="TensorFlow backend only"):
            make_strategy("mirrored", replicas=1)
        return
    import tensorflow as tf

    from iris_keras.app.distribute import replica_gradients
    from iris_keras.recipes import build_for, get_recipe, split_for
    from iris_keras.seeding import set_seed

    recipe = get_recipe("article")
    strategy = make_strategy("mirrored", replicas=1)
    set_seed(0)
    (x_fit, y_fit), _, _ = split_for(recipe)
    model = build_for(recipe, x_fit, strategy=strategy)
    x, y = x_fit[:32], y_fit[:32]
    per_replica, averaged = replica_gradients(model, strategy, x, y)
    with tf.GradientTape() as tape:
        loss = model.compute_loss(x=x, y=y, y_pred=model(x, training=True))
    one_device = [np.asarray(g) for g in tape.gradient(loss, model.trainable_weights)]
    assert len(per_replica) == 1 and len(averaged) == len(one_device) == 6
    for replica, mean, expected in zip(per_replica[0], averaged, one_device, strict=True):
        np.testing.assert_allclose(replica, expected, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(mean, expected, rtol=1e-6, atol=1e-7)


def test_a_one_worker_cluster_describes_itself_syncs_and_reports_a_lost_worker(monkeypatch):
    import keras

    if keras.backend.backend() != "tensorflow":
        return  # no tf.distribute here: the tests above check the refusal
    import tensorflow as tf

    from iris_keras.app.cluster import lost_workers_reported, sync_from_chief
    from iris_keras.app.distribute import _multi_worker_strategy_class
    from iris_keras.recipes import build_for, get_recipe, split_for

    monkeypatch.delenv("TF_CONFIG", raising=False)
    strategy = _multi_worker_strategy_class()()  # no TF_CONFIG: one worker, this process
    monkeypatch.setenv("TF_CONFIG", tf_config(TWO_WORKERS, 1))
    assert describe_strategy(strategy) == {
        "strategy": "multi-worker",
        "replicas": 1,
        "workers": 2,
        "worker": 1,
    }
    recipe = get_recipe("article")
    (x_fit, _), _, _ = split_for(recipe)
    model = build_for(recipe, x_fit, strategy=strategy)
    before = [np.array(weight) for weight in model.get_weights()]
    assert sync_from_chief(strategy, model, 7) == 7  # the chief is this worker
    for weight, kept in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(weight, kept)
    assert int(model.optimizer.iterations.numpy()) == 0
    lost = "heartbeat timeout: /job:worker/replica:0/task:0"
    named = r"^Lost worker 0 \(127\.0\.0\.1:2222\): it stopped"
    with pytest.raises(IrisKerasError, match=named), lost_workers_reported(strategy):
        raise tf.errors.UnavailableError(None, None, lost)
    mirrored = make_strategy("mirrored", replicas=1)
    with pytest.raises(tf.errors.UnavailableError), lost_workers_reported(mirrored):
        raise tf.errors.UnavailableError(None, None, lost)  # one process: nothing to name


def test_a_mirrored_run_records_its_strategy(tmp_path):
    import keras

    from iris_keras.app.run import train_recipe
    from iris_keras.recipes import get_recipe

    recipe = get_recipe("article", epochs=2)
    if keras.backend.backend() != "tensorflow":
        with pytest.raises(UsageError, match="TensorFlow backend only"):
            train_recipe(
                recipe, output_dir=tmp_path, device="cpu", verbose=0, distribute="mirrored"
            )
        return
    metrics = train_recipe(
        recipe, output_dir=tmp_path, device="cpu", verbose=0, distribute="mirrored", replicas=1
    )
    assert metrics["distribution"] == {
        "strategy": "mirrored",
        "replicas": 1,
        "workers": 1,
        "worker": 0,
    }
    assert json.loads((tmp_path / "metrics.json").read_text())["distribution"]["replicas"] == 1


def test_mirrored_takes_the_gpus_and_falls_back_to_cpu_halves(monkeypatch):
    import keras

    if keras.backend.backend() != "tensorflow":
        return  # no tf.distribute here: the test above checks the refusal
    import tensorflow as tf

    from iris_keras.app import distribute

    split = []
    monkeypatch.setattr(
        tf.config, "list_physical_devices", lambda kind: ["gpu0", "gpu1"] if kind == "GPU" else []
    )
    monkeypatch.setattr(distribute, "use_logical_cpus", split.append)
    assert distribute._replica_devices(None) == ["/gpu:0", "/gpu:1"]
    assert distribute._replica_devices(1) == ["/gpu:0"]
    assert distribute._replica_devices(3) == ["/cpu:0", "/cpu:1", "/cpu:2"]
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind: [])
    assert distribute._replica_devices(None) == ["/cpu:0", "/cpu:1"]
    assert split == [3, 2]


def train_command(output, distribute, *extra):
    return cli_command(
        "train", "--epochs", EPOCHS, "--output", output, "--quiet", "--device", "cpu",
        "--distribute", distribute, *extra,
    )  # fmt: skip


def start_workers(output, logs):
    """Starts two `iris-keras train --distribute multi-worker` processes on loopback ports.

    Returns:
        The processes and the workers' addresses.
    """
    processes = []
    configs = local_tf_configs(2)
    for index, config in enumerate(configs):
        env = {**os.environ, "TF_CONFIG": config}
        processes.append(
            start(train_command(output, "multi-worker"), logs / f"worker-{index}.log", env)
        )
    return processes, json.loads(configs[0])["cluster"]["worker"]


def start(command, log_path, env=None):
    """Starts `command` with its stdout and stderr in the file `log_path`."""
    with open(log_path, "w", encoding="utf-8") as log:
        return subprocess.Popen(command, stdout=log, stderr=log, env=env)


def backup_epoch(output):
    try:
        return json.loads((output / ".backup" / "state.json").read_text())["epoch"]
    except (OSError, ValueError, KeyError):
        return 0


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory):
    """The article recipe trained one-device, mirrored, and multi-worker (killed, resumed).

    Returns:
        A dict with the output folders and what the kill left.
    """
    from iris_keras.app.run import train_recipe
    from iris_keras.recipes import get_recipe

    root = tmp_path_factory.mktemp("distribute")
    runs = {name: root / name for name in ("one-device", "mirrored", "multi-worker")}
    started = []
    try:
        mirrored = start(
            train_command(runs["mirrored"], "mirrored", "--replicas", 2), root / "mirrored.log"
        )
        started.append(mirrored)
        first, workers = start_workers(runs["multi-worker"], root)
        started += first
        train_recipe(
            get_recipe("article", epochs=EPOCHS),
            output_dir=runs["one-device"],
            device="cpu",
            verbose=0,
        )
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        while backup_epoch(runs["multi-worker"]) < KILL_AFTER_EPOCH:
            assert time.monotonic() < deadline, "the workers never reached the kill epoch"
            assert first[0].poll() is None, (root / "worker-0.log").read_text()
            time.sleep(0.01)
        first[1].send_signal(signal.SIGKILL)
        killed = time.monotonic()
        survivor_status = first[0].wait(timeout=SURVIVOR_TIMEOUT_SECONDS)
        survivor_seconds = time.monotonic() - killed
        first[1].wait(timeout=30)
        killed_at = backup_epoch(runs["multi-worker"])
        survivor_log = (root / "worker-0.log").read_text()

        second, _ = start_workers(runs["multi-worker"], root)
        started += second
        statuses = [process.wait(timeout=RUN_TIMEOUT_SECONDS) for process in second]
        assert statuses == [0, 0], (root / "worker-0.log").read_text()
        assert mirrored.wait(timeout=RUN_TIMEOUT_SECONDS) == 0, (root / "mirrored.log").read_text()
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
    return {
        "runs": runs,
        "workers": workers,
        "killed_at": killed_at,
        "survivor_status": survivor_status,
        "survivor_seconds": survivor_seconds,
        "survivor_log": survivor_log,
        "resumed_log": (root / "worker-1.log").read_text(),
    }


def final_weights(output):
    import keras

    return keras.models.load_model(output / "model.keras").get_weights()


def losses(output):
    import pandas as pd

    return pd.read_csv(output / "history.csv")[["loss", "val_loss"]].to_numpy()


def max_difference(first, second):
    return max(float(np.abs(a - b).max()) for a, b in zip(first, second, strict=True))


@pytest.mark.slow
@pytest.mark.tensorflow
def test_a_killed_worker_stops_the_other_with_one_line_naming_it(three_runs):
    print(f"survivor stopped {three_runs['survivor_seconds']:.1f} s after the kill")
    assert three_runs["survivor_status"] == 1
    errors = [line for line in three_runs["survivor_log"].splitlines() if "error" in line]
    lost = f"Lost worker 1 ({three_runs['workers'][1]})"
    assert len(errors) == 1 and errors[0].startswith(f"iris-keras: error: {lost}"), errors
    assert "Traceback" not in three_runs["survivor_log"]
    assert KILL_AFTER_EPOCH <= three_runs["killed_at"] < EPOCHS


@pytest.mark.slow
@pytest.mark.tensorflow
def test_mirrored_and_multi_worker_equal_one_device(three_runs):
    runs = three_runs["runs"]
    one_device = final_weights(runs["one-device"])
    for name in ("mirrored", "multi-worker"):
        difference = max_difference(one_device, final_weights(runs[name]))
        loss_difference = np.abs(losses(runs["one-device"]) - losses(runs[name])).max()
        print(f"{name}: weights {difference:.2e}, losses {loss_difference:.2e}")
        assert difference <= 1e-5 and loss_difference <= 1e-5
        assert losses(runs[name]).shape == (EPOCHS, 2)


@pytest.mark.slow
@pytest.mark.tensorflow
def test_the_resumed_workers_end_where_an_uninterrupted_mirrored_run_ends(three_runs):
    runs = three_runs["runs"]
    assert f"resumed         from epoch {three_runs['killed_at']}" in three_runs["resumed_log"]
    # Both sum the same two half-batch gradients: they agree to the bit (measured: 0).
    weights = max_difference(final_weights(runs["mirrored"]), final_weights(runs["multi-worker"]))
    loss = np.abs(losses(runs["mirrored"]) - losses(runs["multi-worker"])).max()
    print(f"resumed multi-worker vs mirrored: weights {weights:.2e}, losses {loss:.2e}")
    assert weights <= 1e-6 and loss <= 1e-6
    metrics = json.loads((runs["multi-worker"] / "metrics.json").read_text())
    assert metrics["distribution"] == {
        "strategy": "multi-worker",
        "replicas": 2,
        "workers": 2,
        "worker": 0,
    }
    assert metrics["resumed_from_epoch"] == three_runs["killed_at"]
    assert sorted(path.name for path in runs["multi-worker"].iterdir()) == sorted(
        path.name for path in runs["one-device"].iterdir()
    )  # no backup left, nothing from worker 1


def test_local_tf_configs_describe_one_cluster_on_distinct_loopback_ports(monkeypatch):
    configs = local_tf_configs(2)
    for index, config in enumerate(configs):
        monkeypatch.setenv("TF_CONFIG", config)
        workers, own_index = read_tf_config()
        assert own_index == index and len(set(workers)) == 2
        assert all(worker.startswith("127.0.0.1:") for worker in workers)
