"""`iris-keras train --tensorboard`, then `make tensorboard`, seen in a real browser.

A short run into its default folder (`runs/tensorflow/article-epochs3/`,
each backend's runs apart, and each experiment's) writes Keras's TensorBoard
logs into its `logs/`; the server `make tensorboard` starts (on a free
loopback port, over that temporary `runs` folder) finds them below the
backend's folder, lists the run's training and validation scalars, and its
page shows them.
"""

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.browser import free_port, server, wait_for_http
from tests.support.helpers import FEW_EPOCHS, cli_command

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120
SCALARS = {"epoch_loss", "epoch_accuracy"}


@pytest.mark.browser
def test_tensorboard_serves_the_runs_scalars(chromium, tmp_path):
    runs = tmp_path / "runs"
    trained = subprocess.run(
        cli_command("train", "--epochs", FEW_EPOCHS, "--tensorboard", "--quiet"),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert trained.returncode == 0, trained.stderr
    run = f"runs/tensorflow/article-epochs{FEW_EPOCHS}"
    assert f"tensorboard     {run}/logs/ (make tensorboard)" in trained.stdout
    metrics = json.loads((tmp_path / run / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["tensorboard_logs"] == f"{run}/logs"

    port = free_port()
    command = [
        "make",
        "--no-print-directory",
        "tensorboard",
        f"TENSORBOARD_PORT={port}",
        f"TENSORBOARD_LOGDIR={runs}",
    ]
    with server(command, cwd=ROOT, log_path=tmp_path / "tensorboard.log") as board:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/data/runs", process=board, timeout=STARTUP_SECONDS)
        tags = json.loads(
            wait_for_http(f"{base}/data/plugin/scalars/tags", process=board, timeout=60)
        )
        chromium.get(f"{base}/#timeseries")
        page_text = chromium.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            const names = arguments[0];
            const start = Date.now();
            (function poll() {
              const text = document.body.innerText;
              if (names.every((name) => text.includes(name)) || Date.now() - start > 60000) {
                done(text);
              } else {
                setTimeout(poll, 250);
              }
            })();
            """,
            sorted(SCALARS),
        )

    served = run.removeprefix("runs/")
    assert set(tags) == {f"{served}/logs/train", f"{served}/logs/validation"}
    for scalars in tags.values():
        assert set(scalars) >= SCALARS, scalars
    assert all(name in page_text for name in SCALARS), page_text[:2000]
    assert f"{served}/logs/train" in page_text and f"{served}/logs/validation" in page_text
