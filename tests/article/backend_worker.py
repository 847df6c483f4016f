"""Runs one job of the cross-backend tests in the Python of one backend's environment.

`tests/article/test_backends.py` starts it as
`<env>/bin/python tests/article/backend_worker.py JOB ...`:

- `fit INITIAL OUTPUT`: trains the article recipe with `fit_model` from the
  weights in `INITIAL` (a `.npz`), and `scratch.fit` from the same weights;
  writes the final weights and the per-epoch losses of both to `OUTPUT`.
- `load TEST OUTPUT MODEL...`: loads each `MODEL`
  (`.../<backend it was trained on>/article/model.keras`) with plain
  `keras.models.load_model`, no `iris_keras` imported, predicts the test
  features of `TEST` (a `.npz` of `x` and `y`) into
  `OUTPUT/<trained on>.npy` and evaluates them (`keras_scores`); then runs
  `iris-keras evaluate MODEL` (`cli`: its exit status and what it printed).

Each job prints one JSON line: the backend it ran on, the top-level modules
of TensorFlow, JAX, PyTorch and iris_keras it imported (`imported`, for
`load` before the command ran), and what the job reports.
"""

import contextlib
import io
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


def load(test_data, output, *model_paths):
    from pathlib import Path

    import keras

    with np.load(test_data) as arrays:
        x, y = arrays["x"], arrays["y"]
    trained_on = {path: Path(path).parents[1].name for path in model_paths}
    keras_scores = {}
    for path, backend in trained_on.items():
        model = keras.models.load_model(path)
        np.save(Path(output) / f"{backend}.npy", model.predict(x, verbose=0))
        keras_scores[backend] = model.evaluate(x, y, verbose=0, return_dict=True)
    imported = imported_roots()
    from iris_keras.app.cli import main

    cli = {}
    for path, backend in trained_on.items():
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            status = main(["evaluate", path])
        cli[backend] = {"status": status, "printed": printed.getvalue()}
    return {"imported": imported, "keras_scores": keras_scores, "cli": cli}


def imported_roots():
    """The top-level modules of TensorFlow, JAX, PyTorch and iris_keras imported so far."""
    roots = ("tensorflow", "jax", "torch", "iris_keras")
    return sorted({name.split(".")[0] for name in sys.modules} & set(roots))


def main(job, *args):
    report = {"fit": fit, "load": load}[job](*args) or {}
    report.setdefault("imported", imported_roots())
    import keras

    print(json.dumps({"backend": keras.backend.backend(), **report}))


if __name__ == "__main__":
    main(*sys.argv[1:])
