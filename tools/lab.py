"""`make lab`'s save hook: a notebook saved with outputs leaves `git status` clean.

The nbstripout git filter (`make install`) makes git store a notebook
without its outputs, so `git diff` shows nothing after a notebook is run
and saved. `git status` looks first at the file's size, though, and a file
whose size differs from what git recorded is listed as modified before any
filter runs. JupyterLab calls `refresh_git_index` after every save: when
git's filter sees no change in the saved notebook (`git diff --quiet`), it
re-adds the file, which stores the same stripped content and updates the
size git compares. A notebook whose code or prose you changed stays
modified, unstaged, as usual.

Example (what `make lab` passes to JupyterLab):

```sh
jupyter lab --ContentsManager.post_save_hook=tools.lab.refresh_git_index
```

`make lab` also checks its port first (`busy_port_message`), with the
system's Python, before it installs or prints anything: on a port another
program listens on, make stops with one line naming `LAB_PORT` and a free
port, instead of printing a URL that would open the other program.

```sh
python -m tools.lab --check-port 127.0.0.1 8888
```
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

# How many ports after a busy one `busy_port_message` tries, to suggest a free one.
PORTS_TRIED = 100


def refresh_git_index(model, os_path, contents_manager=None, **kwargs):
    """Refreshes git's index entry for a saved notebook that git sees as unchanged.

    Args:
        model: the saved file's contents model (its `type` is `"notebook"`
            for a notebook).
        os_path: the saved file's path on disk.
        contents_manager: the Jupyter contents manager. Defaults to `None`.
        **kwargs: anything else Jupyter passes.

    Returns:
        `True` when the index entry was refreshed, else `False` (not a
        notebook, not tracked by git, or really changed).
    """
    if model.get("type") != "notebook":
        return False
    path = Path(os_path)

    def git(*args):
        return subprocess.run(
            ["git", *args, "--", path.name], cwd=path.parent, capture_output=True, check=False
        ).returncode

    if git("ls-files", "--error-unmatch") != 0 or git("diff", "--quiet") != 0:
        return False
    return git("add") == 0


def port_in_use(host, port):
    """Whether a server could not listen on `host:port` now: another program holds it.

    Args:
        host: the address to listen on, e.g. `"127.0.0.1"`.
        port: the TCP port.

    Returns:
        `True` when binding the port fails, else `False`. A port left in
        TIME_WAIT by a server that just stopped counts as free, as it does
        for JupyterLab (both set `SO_REUSEADDR`, outside Windows).
    """
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, protocol) as probe:
        if os.name != "nt":  # on Windows the flag would let two servers share a port
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return True
    return False


def busy_port_message(host, port):
    """`make lab`'s one line when `host:port` is busy, or `None` when it is free.

    Example:
    >>> import socket
    >>> with socket.socket() as other:
    ...     other.bind(("127.0.0.1", 0))
    ...     other.listen()
    ...     port = other.getsockname()[1]
    ...     busy_port_message("127.0.0.1", port).startswith(f"127.0.0.1:{port} is in use")
    True
    """
    if not port_in_use(host, port):
        return None
    after = range(port + 1, port + 1 + PORTS_TRIED)
    free = next((other for other in after if not port_in_use(host, other)), None)
    suggestion = f"make lab LAB_PORT={free}" if free else "make lab LAB_PORT=<a free port>"
    return f"{host}:{port} is in use by another program; choose another port: {suggestion}"


def main(argv):
    """`python -m tools.lab --check-port HOST PORT`: exit status 1, and one line, if busy."""
    if len(argv) != 3 or argv[0] != "--check-port" or not argv[2].isdigit():
        print("usage: python -m tools.lab --check-port HOST PORT", file=sys.stderr)
        return 2
    message = busy_port_message(argv[1], int(argv[2]))
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
