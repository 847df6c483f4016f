"""The seed study: does a recipe's result depend on the seed? Every variant on many seeds.

One training run says little about a recipe: the article's 4-3 ReLU network
learns iris perfectly on some seeds and collapses to a constant answer on
others. The study trains 16 variants of the two recipes on 20 seeds each and
reports the spread (`docs/study.md`):

- `variants`: the grid (`Variant`, `study_variants`);
- `measures`: one run alone and what it records (`run_variant`), the
  reference path (`--per-run`);
- `stacked`, `stacked_layers`, `copies`, `stacked_measures`: many runs in
  one Keras model, each copy equal to its own run (`run_stacked`);
- `tasks`: the unit of work, its failures its runs' (`plan_tasks`, `run_task`);
- `pool`, `on_dask`: where tasks run: local worker processes that die with
  the study, or a Dask cluster (`--scheduler`);
- `runner`, `resume`: the whole grid, resumable (`run_study`);
- `rows`: `study.csv`, with each failed run's `error`;
- `statistics`, `report`, `provenance`, `plot`: the per-variant table, the
  markdown summary and the page's block, the figure;
- `progress`: one tick per finished run;
- `reference`: the shipped recipes' recorded test accuracies, shipped in
  the package (`reference.json`), and where a run falls among them
  (`standing`, the `seed study` line of `train` and `evaluate`).

`iris-keras study` runs it; it imports the article's steps and the atomic
files, folder lock and page blocks of `iris_keras.common`, never the product
(`iris_keras.app`), and nothing imports it but the command line.
"""
