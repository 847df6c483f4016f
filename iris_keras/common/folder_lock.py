"""One writer per output folder: an OS lock that a killed run can never leave behind.

`hold(folder)` takes an exclusive lock on `<folder>/.lock` with
[filelock](https://py-filelock.readthedocs.io), the cross-platform library
pip and tox use (`flock` on Linux and macOS, `LockFileEx` on Windows), and
keeps it for its `with` block. A second process that asks for the same
folder is refused at once with a one-line `FolderBusyError` naming the
folder and the process holding it; it changes nothing in the folder. The
operating system releases the lock when the holder exits, however it exits:
a run killed with SIGKILL (or from the Task Manager) leaves at most two small
files, which the next run takes over at once.

Inside one process the lock is re-entrant: `iris-keras study` and library
callers may take it around code that takes it again.

Once it holds the lock, the holder writes its PID and command line into
`<folder>/.lock.holder`, for the refusal message; on release it removes both
files while it still holds the lock (filelock checks that the file it locked
was not removed meanwhile, and tries again if it was), so a finished run
leaves only its artifacts.
"""

import contextlib
import json
import os
import shlex
import sys
import time
from pathlib import Path

from iris_keras.errors import IrisKerasError

LOCK_NAME = ".lock"
HOLDER_NAME = ".lock.holder"
_held: dict[tuple[int, int], list] = {}  # a folder's (st_dev, st_ino) -> [FileLock, depth]


class FolderBusyError(IrisKerasError):
    """Another process holds the folder's lock."""


@contextlib.contextmanager
def hold(folder, *, command=None):
    """Holds the one-writer lock of an existing `folder` for the `with` block.

    Args:
        folder: the output folder; it must exist.
        command: the command line to show a refused second run. Defaults to
            this process's own command line.

    Yields:
        The path of the lock file, `<folder>/.lock`.

    Raises:
        FolderBusyError: another process holds the lock.
        IrisKerasError: the folder does not support locking.

    Example:
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with hold(folder) as lock:
    ...         print(lock.name, lock.exists(), holder(folder)["pid"] == os.getpid())
    ...     print(lock.exists(), holder(folder))
    .lock True True
    False None
    """
    folder = Path(folder)
    path = folder / LOCK_NAME
    key = _folder_key(folder)
    if key in _held:  # re-entrant within one process
        _held[key][1] += 1
        try:
            yield path
        finally:
            _held[key][1] -= 1
        return
    lock = _acquire(folder, path)
    record = {"pid": os.getpid(), "command": command or shlex.join(sys.orig_argv)}
    (folder / HOLDER_NAME).write_text(json.dumps(record) + "\n", encoding="utf-8")
    _held[key] = [lock, 1]
    try:
        yield path
    finally:
        del _held[key]
        for name in (HOLDER_NAME, LOCK_NAME):  # while still locked: they are ours
            with contextlib.suppress(OSError):  # Windows removes .lock on release itself
                (folder / name).unlink()
        lock.release()


def holder(folder):
    """The `{"pid", "command"}` that the holder of `folder`'s lock wrote, or `None`."""
    try:
        return _parse((Path(folder) / HOLDER_NAME).read_bytes().decode("utf-8", "replace"))
    except OSError:
        return None


def _acquire(folder, path):
    import filelock

    lock = filelock.FileLock(path, timeout=0, thread_local=False, fallback_to_soft=False)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise FolderBusyError(_busy_message(folder, path, _wait_for_holder(folder))) from None
    except OSError as error:
        raise IrisKerasError(
            f"Received an invalid value for `output`, expected a folder that supports "
            f"file locks. Received: output='{folder}' ({error.strerror}). "
            "Choose an --output on a local disk."
        ) from None
    return lock


def _wait_for_holder(folder, *, attempts=50):
    """The live holder's record; the holder writes it just after locking, so wait briefly."""
    for _ in range(attempts):
        info = holder(folder)
        if info is not None and _alive(info["pid"]):
            return info
        time.sleep(0.01)
    return None


def _busy_message(folder, path, info):
    who = (
        f"PID {info['pid']} ({_shorten(info['command'])})"
        if info
        else "another process (it has not written its PID yet)"
    )
    return (
        f"Received an invalid value for `output`, expected a folder no other run is "
        f"writing. Received: output='{folder}', which {who} is writing (it holds "
        f"{path}). Wait for it to finish, or choose another --output."
    )


def _parse(text):
    try:
        record = json.loads(text)
        return {"pid": int(record["pid"]), "command": str(record["command"])}
    except (ValueError, KeyError, TypeError):
        return None


def _alive(pid):
    """Whether the process `pid` runs, on POSIX and on Windows."""
    if os.name == "nt":  # os.kill(pid, 0) would end the process there
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _alive_on_windows(pid):
    import ctypes

    synchronize, still_running = 0x00100000, 0x00000102
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # Windows only
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return False
    try:
        return kernel32.WaitForSingleObject(handle, 0) == still_running
    finally:
        kernel32.CloseHandle(handle)


def _folder_key(folder):
    info = os.stat(folder)
    return info.st_dev, info.st_ino


def _shorten(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
