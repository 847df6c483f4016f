"""The product: the machinery behind the `iris-keras` command and `make train`.

The article's steps (`iris_keras.datasets`, `model`, `compile`, `train`,
`evaluate`) say what a run does; this package makes a run something a
practitioner can rely on:

- `cli`, `parser`: the `iris-keras` command (train, evaluate, predict, study);
- `run`: one recipe trained end to end, the article's steps in order, with
  resume, distribution, TensorBoard and the reload check as named steps;
- `outputs`: a run's files (model, history, metrics, figures) and its folder,
  named after what differs from its recipe; `overwrite`: a folder holds one
  experiment, and another run of other settings is refused (`--overwrite`);
- `backup`: resume after a kill; `loading`: safe loading;
- `distribute`, `cluster`: §6's data-parallel training (TensorFlow);
- `summary`: the text the command prints; `epoch_lines`: one line per epoch in a log;
- `kernel`: the project's Jupyter kernel.

Atomic files, the folder lock, page blocks and the machine's description
live a room below, in `iris_keras.common`, which the study uses too. This
package imports the article's modules and `common`, never the other way
round; only `cli` and `parser` import the seed study (`iris_keras.study`).
`docs/architecture.md` draws the rooms, and `make lint` checks the arrows
(import-linter).
"""
