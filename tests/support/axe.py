"""axe-core for the accessibility test: npm's package, at the version `tools/axe/` pins.

`make axe` installs it with `npm ci` into `tools/axe/node_modules/` (ignored by
git): npm checks the downloaded package against the sha512 integrity that
`tools/axe/package-lock.json` records, so the script the test injects is
byte for byte the one the lock names. Once installed, the step does nothing
and downloads nothing. Without npm (and nothing installed) the test skips
with a message, except in CI (`CI` set), where `.ci/run` installs npm and a
missing axe fails, as a missing browser does (`tests/support/browser.py`).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = ROOT / "tools" / "axe"
SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def pinned_version():
    """The axe-core version `tools/axe/package-lock.json` pins, e.g. `"4.14.1"`."""
    lock = json.loads((AXE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/axe-core"]["version"]


def axe_script():
    """The text of the pinned `axe.min.js`, installed first by `make axe` if it is not yet."""
    made = subprocess.run(
        ["make", "--no-print-directory", "axe"], cwd=ROOT, capture_output=True, text=True
    )
    if made.returncode != 0 and shutil.which("npm") is None:
        message = "npm missing, so axe-core is not installed: apt-get install npm, then make axe"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (.ci/run installs npm in CI)")
        pytest.skip(message)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    return SCRIPT.read_text(encoding="utf-8")
