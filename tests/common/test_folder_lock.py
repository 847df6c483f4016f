"""One writer per folder: the lock, its refusal message, and a holder killed with SIGKILL."""

import json
import os
import signal
import subprocess
import sys

import pytest

from iris_keras.app.cli import main
from iris_keras.common import artifacts, folder_lock
from iris_keras.common.folder_lock import HOLDER_NAME, LOCK_NAME, FolderBusyError, hold, holder
from tests.support.helpers import cli_command, folder_snapshot, held_by_another_process

# Holds the lock without writing its record, as a holder does for a moment after locking.
SILENT_HOLDER = """
import fcntl, os, sys
descriptor = os.open(os.path.join(sys.argv[1], ".lock"), os.O_RDWR | os.O_CREAT)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""
# Holds the lock until killed.
HOLD_FOREVER = """
import sys, time
from iris_keras.common.folder_lock import hold
with hold(sys.argv[1]):
    print("held", flush=True)
    time.sleep(600)
"""


def test_holder_writes_its_record_and_removes_the_file_on_release(tmp_path):
    with hold(tmp_path, command="iris-keras train") as path:
        assert path == tmp_path / LOCK_NAME
        assert holder(tmp_path) == {"pid": os.getpid(), "command": "iris-keras train"}
    assert list(tmp_path.iterdir()) == []
    assert holder(tmp_path) is None


def test_lock_is_reentrant_within_a_process(tmp_path):
    with hold(tmp_path, command="outer"), hold(tmp_path, command="inner"):
        assert holder(tmp_path)["command"] == "outer"
    assert not (tmp_path / LOCK_NAME).exists()
    with hold(tmp_path):  # released: takeable again
        pass


def test_another_process_is_refused_with_one_line_naming_folder_and_pid(tmp_path):
    with held_by_another_process(tmp_path) as child:
        before = folder_snapshot(tmp_path)
        with pytest.raises(FolderBusyError) as error, hold(tmp_path):
            pass
        assert folder_snapshot(tmp_path) == before
    message = str(error.value)
    assert "\n" not in message
    assert f"output='{tmp_path}'" in message
    assert f"PID {child.pid} (a holder in a test)" in message
    assert "Wait for it to finish, or choose another --output" in message


def test_a_holder_that_has_not_written_its_pid_yet(tmp_path):
    unwritten = r"which another process \(it has not written its PID yet\) is writing"
    with (
        held_by_another_process(tmp_path, SILENT_HOLDER),
        pytest.raises(FolderBusyError, match=unwritten),
        hold(tmp_path),
    ):
        pass


def test_sigkill_leaves_the_files_but_not_the_lock(tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_FOREVER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline() == "held\n"
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    child.stdout.close()
    assert holder(tmp_path)["pid"] == child.pid  # the dead holder's record stays...
    with hold(tmp_path, command="next run"):  # ...but the kernel released its lock
        assert holder(tmp_path) == {"pid": os.getpid(), "command": "next run"}
    assert list(tmp_path.iterdir()) == []  # and the next run cleans both files up


def test_leftovers_are_cleaned_only_by_the_holder(tmp_path):
    live = tmp_path / ".tmp-abc-model.keras"  # a live run's file being written
    live.write_bytes(b"half a model")
    with (
        held_by_another_process(tmp_path),
        pytest.raises(FolderBusyError),
        artifacts.claim_output_dir(tmp_path),
    ):
        pass
    assert live.exists()
    with artifacts.claim_output_dir(tmp_path):  # now it is a dead run's leftover
        assert not live.exists()


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["train", "--epochs", "1", "--quiet"], id="train"),
        pytest.param(["study", "--seeds", "1", "--epochs", "1", "--quiet"], id="study"),
    ],
)
def test_cli_refuses_a_busy_folder_and_changes_nothing(tmp_path, argv, capsys):
    (tmp_path / "study.csv").write_text("the other run's rows\n")
    with held_by_another_process(tmp_path) as child:
        before = folder_snapshot(tmp_path)
        assert main([*argv, "--output", str(tmp_path)]) == 1
        assert folder_snapshot(tmp_path) == before
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("iris-keras: error: ") and f"PID {child.pid}" in error


def test_a_real_train_process_is_refused_while_this_test_holds_the_folder(tmp_path):
    with hold(tmp_path, command="this test"):
        before = folder_snapshot(tmp_path)
        result = subprocess.run(
            cli_command("train", "--epochs", 1, "--quiet", "--output", tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert folder_snapshot(tmp_path) == before
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"iris-keras: error: Received an invalid value for `output`, expected a folder no "
        f"other run is writing. Received: output='{tmp_path}', which PID {os.getpid()} "
        f"(this test) is writing (it holds {tmp_path / LOCK_NAME}). Wait for it to finish, "
        "or choose another --output.\n"
    )


def test_a_holders_record_with_bytes_that_are_not_utf8_is_still_read(tmp_path):
    path = tmp_path / HOLDER_NAME
    record = {"pid": os.getpid(), "command": "train"}
    path.write_bytes(json.dumps(record).encode() + b" \xff\n")
    assert folder_lock._wait_for_holder(tmp_path, attempts=1) is None  # not JSON any more
    path.write_bytes(b'{"pid": %d, "command": "caf\xe9"}' % os.getpid())
    assert folder_lock._wait_for_holder(tmp_path, attempts=1) == {
        "pid": os.getpid(),
        "command": "caf\ufffd",
    }


def test_a_dead_holder_is_not_alive(monkeypatch):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert folder_lock._alive(child.pid) is False
    assert folder_lock._alive(os.getpid()) is True

    def another_users(pid, signal):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(folder_lock.os, "kill", another_users)
    assert folder_lock._alive(1) is True  # alive, but not ours to signal


def test_a_long_command_is_cut_to_the_limit_with_an_ellipsis():
    assert folder_lock._shorten("iris-keras   train\n --quiet") == "iris-keras train --quiet"
    cut = folder_lock._shorten("x" * 200)
    assert cut == "x" * 159 + "…" and len(cut) == 160
    assert folder_lock._shorten("y" * 160) == "y" * 160
