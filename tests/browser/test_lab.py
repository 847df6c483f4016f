"""A learner's first step, in a real browser: `make lab`, open a notebook, Run All, save.

The server is the one `make lab` starts (on a free loopback port, with a
token); JupyterLab runs the notebook on the kernel its metadata names. We
assert what the learner sees: the project's kernel, every cell run, no
error and nothing on stderr, the figures drawn, and after saving, a
`git status` that has not changed (the nbstripout filter from
`make install`, and `make lab`'s save hook, `tools.lab`). The
notebook's bytes are restored afterwards. The URL the test opens is the one
line `make lab` prints, and no toast asks about Jupyter's news (nor anything
else): the notification plugin's settings say never.
"""

import json
import os
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from iris_keras.app.kernel import DISPLAY_NAME, KERNEL_NAME
from tests.support.browser import free_port, requested_urls, server, wait_for_http
from tools.lab import refresh_git_index

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "2.4-activation-functions.ipynb"
STARTUP_SECONDS = 120
# What `make lab` prints: the one line to open, with the token it made.
OPEN_LINE = re.compile(
    r"^JupyterLab: open (http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]{48})) in a browser"
)
# The book's first-hour page shows that line, with the default port and a token cut short.
FIRST_HOUR = ROOT / "docs" / "first-hour.md"

# Runs inside the page: Run All, wait for it, save, and return what the notebook holds.
RUN_ALL_AND_SAVE = """
const done = arguments[arguments.length - 1];
(async () => {
  const sleep = () => new Promise((resolve) => setTimeout(resolve, 200));
  for (let i = 0; i < 600 && !window.jupyterapp; i++) await sleep();
  const app = window.jupyterapp;
  if (!app) throw new Error("JupyterLab did not start in the page");
  await app.started;
  await app.restored;
  let panel = null;
  for (let i = 0; i < 600 && !panel; i++) {
    const widget = app.shell.currentWidget;
    if (widget && widget.sessionContext && widget.content && widget.content.model) panel = widget;
    else await sleep();
  }
  if (!panel) throw new Error("no notebook opened");
  await panel.context.ready;
  await panel.sessionContext.ready;
  while (!panel.sessionContext.session || !panel.sessionContext.session.kernel) await sleep();
  const ran = await app.commands.execute("notebook:run-all-cells");
  while (panel.sessionContext.session.kernel.status !== "idle") await sleep();
  await app.commands.execute("docmanager:save");
  while (panel.context.model.dirty) await sleep();
  const toolbar = document.querySelector(".jp-Toolbar-kernelName");
  const bell = document.querySelector(".jp-Notification-Status-Text");
  done({
    toasts: [...document.querySelectorAll(".Toastify__toast")].map((toast) => toast.innerText),
    notifications: bell ? bell.textContent.trim() : null,
    ran: ran,
    kernelDisplayName: panel.sessionContext.kernelDisplayName,
    kernelName: panel.sessionContext.session.kernel.name,
    toolbarKernel: toolbar ? toolbar.textContent.trim() : null,
    stderrShown: document.querySelectorAll(
      '[data-mime-type="application/vnd.jupyter.stderr"]').length,
    notebook: panel.content.model.toJSON(),
  });
})().catch((error) => done({ error: String(error) }));
"""


def printed_url(log_path, *, process, timeout):
    """The URL in the line `make lab` prints first, once it is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        first_line = log_path.read_text(encoding="utf-8").partition("\n")[0]
        if OPEN_LINE.match(first_line):
            return OPEN_LINE.match(first_line)
        if process.poll() is not None:
            pytest.fail(f"make lab exited with status {process.returncode}: {first_line}")
        time.sleep(0.2)
    pytest.fail(f"make lab printed no URL to open within {timeout} s")


def documented_line():
    """The line docs/first-hour.md shows `make lab` printing (the block this test checks)."""
    mark = "<!-- checked by tests/browser/test_lab.py::" + TEST_NAME + " -->\n```text\n"
    return FIRST_HOUR.read_text(encoding="utf-8").split(mark, 1)[1].split("\n", 1)[0]


def as_documented(line, port):
    """`line` with the port the page shows and the token cut as the page cuts it."""
    line = line.replace(f"127.0.0.1:{port}/", "127.0.0.1:8888/")
    return re.sub(r"token=[0-9a-f]+…?", "token=…", line)


def git_status():
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


TEST_NAME = "test_lab_runs_a_notebook_on_the_projects_kernel_and_saving_leaves_git_clean"


@pytest.mark.browser
def test_lab_runs_a_notebook_on_the_projects_kernel_and_saving_leaves_git_clean(chromium, tmp_path):
    port, log = free_port(), tmp_path / "lab.log"
    # Jupyter's per-user state goes to a temporary folder, not the user's home.
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    lab_args = "--no-browser --LabApp.expose_app_in_browser=True"
    command = ["make", "--no-print-directory", "lab", f"LAB_PORT={port}", f"LAB_ARGS={lab_args}"]
    original, before = NOTEBOOK.read_bytes(), git_status()
    try:
        with server(command, cwd=ROOT, env=env, log_path=log) as lab:
            opened = printed_url(log, process=lab, timeout=STARTUP_SECONDS)
            base, token = f"http://127.0.0.1:{port}", opened.group(3)
            wait_for_http(opened.group(1), process=lab, timeout=STARTUP_SECONDS)  # the line works
            chromium.get(f"{base}/lab/tree/{NOTEBOOK.name}?token={token}")
            result = chromium.execute_async_script(RUN_ALL_AND_SAVE)
            requested = requested_urls(chromium)
        assert "error" not in result, result.get("error")
        saved = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
        after = git_status()
    finally:
        NOTEBOOK.write_bytes(original)
        refresh_git_index({"type": "notebook"}, NOTEBOOK)  # git's recorded size, as before

    assert opened.group(2) == str(port)
    printed = log.read_text(encoding="utf-8").partition("\n")[0]
    assert as_documented(printed, port) == as_documented(documented_line(), 8888)
    assert result["ran"] is True
    # No toast about Jupyter's news (or anything else) on a learner's first notebook.
    assert result["toasts"] == []
    assert result["notifications"] == "0"
    assert result["kernelName"] == KERNEL_NAME
    assert result["kernelDisplayName"] == DISPLAY_NAME == result["toolbarKernel"]
    code = [cell for cell in result["notebook"]["cells"] if cell["cell_type"] == "code"]
    # The exercises' answer cells are empty, and JupyterLab runs no empty cell.
    written = [cell for cell in code if "".join(cell["source"]).strip()]
    assert len(written) < len(code) and all(cell["execution_count"] for cell in written), (
        "Run All left cells unrun"
    )
    outputs = [output for cell in code for output in cell["outputs"]]
    assert [o for o in outputs if o["output_type"] == "error"] == []
    assert [o for o in outputs if o.get("name") == "stderr"] == []
    assert result["stderrShown"] == 0
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 1, "no figure drawn"
    # The save really wrote the outputs to the working copy; git sees none of it.
    assert any(cell.get("outputs") for cell in saved["cells"] if cell["cell_type"] == "code")
    assert after == before, f"git status changed:\n{after}"
    # Offline classrooms: the page asks nothing of any machine but this one.
    remote = [url for url in requested if urlsplit(url).hostname not in (None, "127.0.0.1")]
    assert remote == []
