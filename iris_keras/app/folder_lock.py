"""One writer per output folder: an OS lock that a killed run can never leave behind.

`hold(folder)` takes an exclusive `fcntl.flock` on `<folder>/.lock`, the way
trusted tools guard a folder, and keeps it for its `with` block. A second
process that asks for the same folder is refused at once with a one-line
`FolderBusyError` naming the folder and the process holding it; it changes
nothing in the folder. The kernel releases the lock when the holder exits,
however it exits: a run killed with SIGKILL leaves at most the file `.lock`,
which the next run takes over at once.

Inside one process the lock is re-entrant: `iris-keras train` takes it
before importing TensorFlow (so a refused run leaves in a fraction of a
second), and `train_recipe` takes it again for library callers.

After locking, the holder writes its PID and command line into the file,
for the refusal message; on release it removes the file, so a finished run
leaves only its artifacts. The lock is released only after the removal,
and a process that locked a file someone removed meanwhile starts over:

    lock(fd); if inode(fd) != inode(path): close(fd) and retry
"""

import contextlib
import errno
import fcntl
import json
import os
import shlex
import sys
import time
from pathlib import Path

from iris_keras.errors import IrisKerasError

LOCK_NAME = ".lock"
_held = {}  # (st_dev, st_ino) of a folder -> [descriptor, depth], this process's locks


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
    ...         print(lock.name, lock.exists())
    ...     print(lock.exists())
    .lock True
    False
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
    descriptor = _acquire(folder, path, command)
    _held[key] = [descriptor, 1]
    try:
        yield path
    finally:
        del _held[key]
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked: no one can take a file we are removing
        os.close(descriptor)  # releases the lock


def holder(folder):
    """The `{"pid", "command"}` that the holder of `folder`'s lock wrote, or `None`."""
    try:
        return _parse((Path(folder) / LOCK_NAME).read_text(encoding="utf-8"))
    except OSError:
        return None


def _acquire(folder, path, command):
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            busy = error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)
            info = _wait_for_holder(descriptor) if busy else None
            os.close(descriptor)
            if busy:
                raise FolderBusyError(_busy_message(folder, path, info)) from None
            raise IrisKerasError(
                f"Received an invalid value for `output`, expected a folder that supports "
                f"file locks. Received: output='{folder}' ({error.strerror}). "
                "Choose an --output on a local disk."
            ) from None
        if _same_file(descriptor, path):
            break
        os.close(descriptor)  # locked a file its holder removed while releasing it
    record = {"pid": os.getpid(), "command": command or shlex.join(sys.orig_argv)}
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, (json.dumps(record) + "\n").encode(), 0)
    return descriptor


def _wait_for_holder(descriptor, *, attempts=50):
    """The live holder's record; the holder writes it just after locking, so wait briefly."""
    for _ in range(attempts):
        info = _parse(os.pread(descriptor, 4096, 0).decode("utf-8", "replace"))
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
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _same_file(descriptor, path):
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(descriptor)
    return (opened.st_dev, opened.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _folder_key(folder):
    info = os.stat(folder)
    return info.st_dev, info.st_ino


def _shorten(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
