"""Runs one job of the cross-backend tests in the Python of one backend's environment.

`tests/article/test_backends.py` starts it as
`<env>/bin/python tests/article/backend_worker.py JOB ...`:

- `fit INITIAL OUTPUT`: trains the article recipe with `fit_model` from the
  weights in `INITIAL` (a `.npz`), and `scratch.fit` from the same weights;
  writes the final weights and the per-epoch losses of both to `OUTPUT`.
- `predict FEATURES OUTPUT MODEL...`: loads each `MODEL` with plain
  `keras.models.load_model` (no `iris_keras` import) and writes its
  predictions for `FEATURES` (a `.npy`) to `OUTPUT/<model's folder name>.npy`.

Each job prints one JSON line: the backend it ran on and the top-level
modules of TensorFlow, JAX, PyTorch and iris_keras it imported.
"""

import json
import sys

import numpy as np


def fit(initial, output):
    from iris_keras import scratch
    from iris_keras.recipes import build_for, fit_recipe, get_recipe, split_for
    from iris_keras.seeding import set_seed

    recipe = get_recipe("article")
    set_seed(recipe.seed)
    fit_data, validation_data, _ = split_for(recipe)
    model = build_for(recipe, fit_data[0])
    with np.load(initial) as arrays:
        model.set_weights([arrays[f"arr_{index}"] for index in range(len(arrays.files))])
    start = scratch.params_from_model(model)
    history = fit_recipe(model, recipe, fit_data, validation_data, verbose=0)
    params, scratch_history = scratch.fit_as_recipe(start, recipe, *fit_data)
    np.savez(
        output,
        loss=history.history["loss"],
        val_loss=history.history["val_loss"],
        scratch_loss=scratch_history["loss"],
        **{f"keras_{i}": weight.numpy() for i, weight in enumerate(model.trainable_weights)},
        **{f"scratch_{i}": weight for i, weight in enumerate(scratch.flatten(params))},
    )


def predict(features, output, *model_paths):
    from pathlib import Path

    import keras

    x = np.load(features)
    for model_path in map(Path, model_paths):
        model = keras.models.load_model(model_path)
        predictions = keras.ops.convert_to_numpy(model(x, training=False))
        np.save(Path(output) / f"{model_path.parent.name}.npy", predictions)


def main(job, *args):
    {"fit": fit, "predict": predict}[job](*args)
    import keras

    roots = ("tensorflow", "jax", "torch", "iris_keras")
    imported = sorted({name.split(".")[0] for name in sys.modules} & set(roots))
    print(json.dumps({"backend": keras.backend.backend(), "imported": imported}))


if __name__ == "__main__":
    main(*sys.argv[1:])
