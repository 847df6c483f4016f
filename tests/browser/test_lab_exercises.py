"""A learner's own copy, in a real browser: `make exercises`, write an answer, `make lab`.

In a fresh clone of this repository (its committed files; the learner's
folder of this checkout is never touched), `make exercises` copies the
notebooks into `my-notebooks/`; the learner writes an answer there; then
`make lab` must serve that folder, and JupyterLab must open the learner's
copy, answer and all. The clone uses this checkout's environment (`VENV=`,
marked installed with `-o`, so nothing is synced).
"""

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.browser.test_lab import printed_url
from tests.support.browser import free_port, server, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "2.5-loss-functions.ipynb"
ANSWER = "my_bce = 'the learner wrote this'"
STARTUP_SECONDS = 120

# Runs inside the page: wait for the notebook to open, return what JupyterLab shows of it.
OPENED_NOTEBOOK = """
const done = arguments[arguments.length - 1];
(async () => {
  const sleep = () => new Promise((resolve) => setTimeout(resolve, 200));
  for (let i = 0; i < 600 && !window.jupyterapp; i++) await sleep();
  const app = window.jupyterapp;
  await app.restored;
  let panel = null;
  for (let i = 0; i < 600 && !panel; i++) {
    const widget = app.shell.currentWidget;
    if (widget && widget.context && widget.content && widget.content.model) panel = widget;
    else await sleep();
  }
  if (!panel) throw new Error("no notebook opened");
  await panel.context.ready;
  done({ path: panel.context.path, notebook: panel.content.model.toJSON() });
})().catch((error) => done({ error: String(error) }));
"""


def answer_the_first_exercise(path):
    """Writes `ANSWER` into the first empty answer cell of the notebook at `path`."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    empty = next(
        cell for cell in notebook["cells"] if cell["cell_type"] == "code" and not cell["source"]
    )
    empty["source"] = [ANSWER]
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")


def sources(notebook):
    return ["".join(cell["source"]) for cell in notebook["cells"]]


@pytest.mark.browser
def test_make_exercises_then_make_lab_serves_the_learners_copy(chromium, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    make = ["make", "--no-print-directory", f"VENV={ROOT / '.venv'}"]
    subprocess.run([*make, "exercises"], cwd=clone, check=True, capture_output=True)
    answer_the_first_exercise(clone / "my-notebooks" / NOTEBOOK)

    port, log = free_port(), tmp_path / "lab.log"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    installed = str(ROOT / ".venv" / ".installed-learn")
    lab = [*make, "-o", installed, "lab", f"LAB_PORT={port}"]
    lab.append("LAB_ARGS=--no-browser --LabApp.expose_app_in_browser=True")
    base = f"http://127.0.0.1:{port}"
    with server(lab, cwd=clone, env=env, log_path=log) as process:
        opened = printed_url(log, process=process, timeout=STARTUP_SECONDS)
        wait_for_http(opened.group(1), process=process, timeout=STARTUP_SECONDS)
        token = opened.group(3)
        with urllib.request.urlopen(f"{base}/api/contents/{NOTEBOOK}?token={token}") as reply:
            served = json.loads(reply.read())["content"]
        chromium.get(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
        shown = chromium.execute_async_script(OPENED_NOTEBOOK)

    assert "error" not in shown, shown.get("error")
    assert ANSWER in sources(served)
    assert shown["path"] == NOTEBOOK and ANSWER in sources(shown["notebook"])
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True
    )
    assert status.stdout == ""
