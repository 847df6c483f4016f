"""Importing a backend without its start-up lines on the terminal, and with them on failure."""

import importlib
import os
import subprocess
import sys

import pytest

from iris_keras.backend.quiet import SHOW_LOGS, import_quietly, install, quiet_first_import

NOISY = """
import os
os.write(2, b"start-up chatter\\n")
"""
BROKEN = """
import os
os.write(2, b"start-up chatter \\xff\\n")
raise ImportError("no such library")
"""


@pytest.fixture
def modules(tmp_path, monkeypatch):
    """A folder on `sys.path` for made-up modules, removed from `sys.modules` afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("IRIS_KERAS_TF_LOGS", raising=False)
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    names = []

    def make(name, source):
        (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
        names.append(name)
        return name

    yield make
    for name in names:
        sys.modules.pop(name, None)


def test_what_an_import_writes_to_fd_2_is_dropped(modules, capfd):
    name = modules("noisy_quiet", NOISY)
    import_quietly(name)
    assert name in sys.modules
    os.write(2, b"after\n")  # fd 2 is the terminal's again
    assert capfd.readouterr().err == "after\n"


def test_a_failing_import_replays_what_it_wrote(modules, capfd, monkeypatch):
    name = modules("noisy_broken", BROKEN)
    terminal = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115 -- as sys.stderr is
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(ImportError, match="no such library"):
        import_quietly(name)
    terminal.flush()
    assert capfd.readouterr().err == "start-up chatter \ufffd\n"  # bytes that are not UTF-8
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def test_logs_on_request_and_a_second_import_are_not_captured(modules, capfd, monkeypatch):
    monkeypatch.setenv("IRIS_KERAS_TF_LOGS", "1")
    import_quietly(modules("noisy_shown", NOISY))
    assert capfd.readouterr().err == "start-up chatter\n"
    monkeypatch.delenv("IRIS_KERAS_TF_LOGS")
    sys.modules.pop("noisy_shown")
    import_quietly("noisy_shown")
    assert capfd.readouterr().err == ""


def test_install_sets_the_log_level_and_keeps_a_users(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    install()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    install()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"


def test_the_first_import_by_anyone_is_quiet_and_what_follows_is_captured_too(
    modules, capfd, monkeypatch
):
    name = modules("noisy_hooked", NOISY)
    looked = []

    def then(module):
        os.write(2, b"first look for a GPU\n")
        looked.append(module.__name__)

    quiet_first_import(name, then=then)
    quiet_first_import(name, then=then)  # once is enough
    assert sum(getattr(finder, "name", None) == name for finder in sys.meta_path) == 1
    importlib.import_module(name)  # a plain import, as a user's `import keras` imports TF
    assert looked == [name]
    assert capfd.readouterr().err == ""
    assert not any(getattr(finder, "name", None) == name for finder in sys.meta_path)
    assert sys.modules[name].__loader__.__class__.__name__ == "SourceFileLoader"


def test_a_failing_first_import_still_shows_what_it_wrote(modules, capfd, monkeypatch):
    name = modules("noisy_hooked_broken", BROKEN)
    terminal = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115 -- as sys.stderr is
    monkeypatch.setattr(sys, "stderr", terminal)
    quiet_first_import(name)
    with pytest.raises(ImportError, match="no such library"):
        importlib.import_module(name)
    terminal.flush()
    assert capfd.readouterr().err == "start-up chatter \ufffd\n"


SCRIPT = """
import sys
from iris_keras.seeding import set_seed
from iris_keras.model import build_model
set_seed(1)
build_model(standardize=False)
print("built", flush=True)
sys.stderr.write("then a learner's mistake:\\n")
build_model(units=(0,), standardize=False)
"""


def test_a_script_importing_the_helpers_prints_no_backend_log_block_but_its_own_errors():
    """`python -c "from iris_keras.seeding import set_seed; set_seed(1)"`, as a learner runs
    it: nothing on stderr until the script's own error, which shows as usual."""
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", SHOW_LOGS)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 1 and result.stdout == "built\n"
    first, traceback = result.stderr.split("\n", 1)
    assert first == "then a learner's mistake:"
    assert traceback.startswith("Traceback (most recent call last):")
    assert "Received an invalid value for `units`" in traceback.splitlines()[-1]


class BrokenStderr:
    def write(self, text):
        raise OSError(5, "Input/output error")

    def flush(self):
        pass


def test_a_failing_import_is_reported_even_when_stderr_is_gone(modules, monkeypatch):
    name = modules("noisy_broken_too", BROKEN)
    monkeypatch.setattr(sys, "stderr", BrokenStderr())
    with pytest.raises(ImportError, match="no such library"):
        import_quietly(name)
