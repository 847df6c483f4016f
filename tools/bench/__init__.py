"""`make bench`: the article's `fit` against ours, side by side, in one run.

Times, with the article's hyperparameters (100 epochs, batch 32, SGD 0.01
with momentum 0.9, validation after every epoch) on the same data and
model:

- (a) the naive listing: NumPy arrays into `fit` with `validation_data`;
- (b) the project's training path, `iris_keras.train.fit_model`;
- (c) the from-scratch NumPy loop, `iris_keras.scratch` (when present);
- (d) scikit-learn's `MLPClassifier` with the same layers, SGD, learning
  rate, momentum, batch size and epochs;

plus two ablations of (b) that undo its changes one at a time, and the
whole-process wall time and peak memory of `iris-keras train` against a
script running (a). Each is repeated (default 3) and the median reported;
the repeats interleave the contenders so that machine noise hits them alike.
It prints a markdown table of seconds, ratio to (a) and test accuracy, and
writes it to `runs/bench/bench-<backend>.md` (`--results`; `runs/` is not
tracked): measuring never modifies a tracked file. Publishing is a separate,
explicit step: `--update PAGE` (`make docs-update`) rewrites the page's block
between `<!-- bench:start -->` and `<!-- bench:end -->` from the results
files there, one per Keras backend measured.

Run: `python -m tools.bench [--repeats 3] [--epochs 100] [--strategies]
[--results runs/bench]`, then `python -m tools.bench --update docs/speed.md`.

- `contenders`: the fits timed in one process;
- `processes`: whole processes (`iris-keras train`, a script of the listing)
  and the §6 strategies;
- `tables`: the markdown tables, the results files and the page's block;
- `command`: the command line (`python -m tools.bench`).
"""
