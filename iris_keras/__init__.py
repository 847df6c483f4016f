"""iris-keras: the Keras iris tutorial, running, tested and corrected.

The package reads like the article. Its steps, one module each:

- `iris_keras.datasets.iris`: §4.1, the data (`load_data`); and
  `iris_keras.datasets.table`, a learner's own table, loaded the same way
  (`load_data(path, target=COLUMN)`; `recipes.own_data`, `datasets.model_names`);
- `iris_keras.model`: §4.2, the network (`build_model`);
- `iris_keras.compile`: §4.3, optimizer, loss and metric (`compile_model`);
- `iris_keras.train`: §4.4, training (`fit_model`);
- `iris_keras.evaluate`: §4.5, evaluation (`evaluate_model`);
- `iris_keras.predict`: one flower's species (`predict_species`);
- `iris_keras.recipes`: the two recipes, each step applied to one of them;
- `iris_keras.seeding`, `iris_keras.batches`: one seed, one shuffle per epoch;
- `iris_keras.scratch`: §2–3 in NumPy (activations, losses, forward and
  back-propagation, SGD), proven equal to Keras;
- `iris_keras.figures`, `iris_keras.autodiff`, `iris_keras.expect`: what the
  notebooks draw, differentiate and show failing;
- `iris_keras.importance`: §6, which measurements a model relies on;
- `iris_keras.exercises`: the notebooks' exercises, `check` and `solution`.

Two rooms of their own sit beside the article's steps: `iris_keras.app`, the
machinery behind the `iris-keras` command and `make train` (runs,
artifacts, locks, resume, devices, distribution), and `iris_keras.study`,
the seed study. `iris_keras.backend` answers every "which backend?".
Developer tooling (the benchmark, mutation testing, the book's generated
pages) lives outside the package, in `tools/`.

Importing the package is cheap: Keras and its backend load only when a
function that needs them runs, and quietly (`iris_keras.backend.quiet`).
"""

from iris_keras.backend import quiet as _quiet

__version__ = "0.1.0"

_quiet.install()
