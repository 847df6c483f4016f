"""The product: the machinery behind the `iris-keras` command and `make train`.

The article's steps (`iris_keras.datasets`, `model`, `compile`, `train`,
`evaluate`) say what a run does; this package makes a run something a
practitioner can rely on:

- `cli`, `parser`: the `iris-keras` command (train, evaluate, predict, study);
- `run`: one recipe trained end to end, the article's steps in order, with
  resume, distribution, TensorBoard and the reload check as named steps;
- `outputs`: a run's files (model, history, metrics, figures) and its folder;
- `artifacts`: files that are whole or absent; `folder_lock`: one writer per
  output folder; `backup`: resume after a kill; `loading`: safe loading;
- `machine`: the device a run uses and the versions it records;
- `distribute`, `cluster`: §6's data-parallel training (TensorFlow);
- `summary`: the text the command prints; `progress`: one line per epoch in a log;
- `kernel`: the project's Jupyter kernel.

It imports the article's modules and never the other way round; only `cli`
imports the seed study (`iris_keras.study`). `docs/architecture.md` draws the
rooms, and `make lint` checks the arrows (import-linter).
"""
