"""What the product and the study both stand on: files, folders, pages, the machine.

- `artifacts`: files that are whole or absent (atomic writes, a portable
  `model.keras`), and `claim_output_dir`, a folder with one writer;
- `folder_lock`: one writer per output folder, across processes;
- `pages`: the generated blocks of hand-written pages (`<!-- x:start -->`);
- `machine`: the device a run uses and the versions it records.

Nothing here imports `iris_keras.app` or `iris_keras.study`: both import
this room, and the arrows between the rooms (`docs/architecture.md`) are
contracts that `make lint` checks.
"""
