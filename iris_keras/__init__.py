"""iris-keras: the Keras iris tutorial, running, tested and corrected.

Importing the package is cheap: TensorFlow and Keras load only when a
function that needs them runs.

The article's steps, one module each:

- `iris_keras.datasets.iris.load_data`: §4.1 data;
- `iris_keras.model.build_model`: §4.2 the network;
- `iris_keras.compile.compile_model`: §4.3 optimizer, loss, metric;
- `iris_keras.train.fit_model`: §4.4 training;
- `iris_keras.evaluate.evaluate_model`: §4.5 evaluation;
- `iris_keras.predict.predict_species`: one flower's species;
- `iris_keras.run.train_recipe`: all of it, with artifacts;
- `iris_keras.importance.permutation_importance`: §6, which of the four
  measurements a trained model relies on.

Sections 2 and 3 (activations, losses, forward and back-propagation, SGD)
are `iris_keras.scratch`, in NumPy, proven equal to Keras; the notebooks in
`notebooks/` walk through every section. `docs/sections.toml` maps every
section of the article, 1 to 6, to its page; `iris_keras.section_map`
renders that map and the glossary into the book and `README.zh-CN.md`.
"""

__version__ = "0.1.0"
