"""Importing a backend without its start-up lines on the terminal, and with them on failure."""

import os
import sys

import pytest

from iris_keras.quiet_import import import_quietly

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
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"


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


def test_a_users_log_level_stays(modules, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    import_quietly(modules("quiet_level", "x = 1\n"))
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"


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
