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
"""

import subprocess
from pathlib import Path


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
