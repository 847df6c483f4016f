"""The seed study and the sweep: one engine, two grids of runs.

One training run says little about a recipe: the article's 4-3 ReLU network
learns iris perfectly on some seeds and collapses to a constant answer on
others. The seed study trains 16 variants of the two recipes on 20 seeds
each and reports the spread; the sweep (the atlas) trains each recipe at
every learning rate, momentum and batch size of a grid, on 20 seeds, every
epoch recorded (`docs/study.md`):

- `variants`, `grid`: the grids' points (`Variant`, `study_variants`,
  `sweep_variants`) and the grids (`Grid`, `study_grid`, `sweep_grid`), on
  iris or on a learner's table (`table_recipes`);
- `measures`, `run_curves`: one run alone and what it records
  (`run_variant`), the reference path (`--per-run`);
- `stacked`, `stacked_layers`, `copy_sgd`, `copy_metrics`, `copies`,
  `stacked_epochs`, `stacked_measures`: many runs in one Keras model, each
  copy with its own data, weights, learning rate and momentum, equal to its
  own run (`run_stacked`);
- `tasks`: the unit of work, its failures its runs' (`plan_tasks`, `run_task`);
- `pool`, `on_dask`: where tasks run: local worker processes that die with
  the grid, or a Dask cluster (`--scheduler`);
- `runner`, `resume`: a whole grid, resumable (`run_grid`, `run_study`);
- `rows`: `study.csv` and `sweep.csv`, with each failed run's `error`;
- `atlas`: the sweep's every epoch, as arrays (`load_atlas`), and its
  summary for a page (`summarize_atlas`);
- `statistics`, `report`, `provenance`, `plot`: the per-variant table, the
  markdown summary and the page's block, the figure;
- `progress`: one tick per finished run;
- `reference`: the shipped recipes' recorded test accuracies, shipped in
  the package (`reference.json`), and where a run falls among them
  (`standing`, the `seed study` line of `train` and `evaluate`).

`iris-keras study` and `iris-keras sweep` run them; the package imports the
article's steps and the atomic files, folder lock and page blocks of
`iris_keras.common`, never the product (`iris_keras.app`), and nothing
imports it but the command line.
"""
