"""What each section notebook holds when its `## Exercises` section starts, made cheaply.

The exercise tests run each solution and each recorded wrong answer on the
variables the notebook has made by then (`iris_keras.exercises.try_answer`
copies them), as a learner's answer cell would. The notebooks themselves
run every solution too (`solution("…")` cells, in `make test`'s notebook
tier); here the state is rebuilt in-process, with fewer epochs where the
notebook trains, so that the whole table stays in the default tier.

Each function is cached: one state per notebook and test process.
"""

import functools
from pathlib import Path

import numpy as np

from iris_keras import scratch
from iris_keras.datasets import iris
from iris_keras.seeding import set_seed

ROOT = Path(__file__).resolve().parents[2]
# The study rows of the article's variants on TensorFlow, as `make study` recorded them.
STUDY_CSV = ROOT / "docs" / "study" / "study.csv"


def _basics():
    import keras

    return {"np": np, "keras": keras, "scratch": scratch, "iris": iris}


@functools.cache
def network_neuron_layer():
    """2.1-2.3: the article's model on seed 42, the neuron (w, b), its params."""
    from iris_keras.model import build_model

    set_seed(42)
    (x_train, _), (x_test, _) = iris.load_data()
    model = build_model(x_train)
    return {
        **_basics(),
        "build_model": build_model,
        "x_train": x_train,
        "x_test": x_test,
        "model": model,
        "w": np.array([0.5, -0.3, 0.8, 1.2], dtype=np.float32),
        "b": np.float32(-4.0),
        "params": scratch.params_from_model(model),
    }


@functools.cache
def activation_functions():
    """2.4: the softmax scores of the notebook."""
    return {
        **_basics(),
        "activations": scratch.activations,
        "scores": np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]]),
    }


@functools.cache
def loss_functions():
    """2.5: the five flowers' labels and predictions."""
    return {
        **_basics(),
        "losses": scratch.losses,
        "y_true": np.array([[1.0], [0.0], [1.0], [0.0], [1.0]]),
        "y_pred": np.array([[0.9], [0.2], [0.6], [0.4], [0.05]]),
    }


@functools.cache
def optimizers():
    """2.6: the valley's starting point."""
    return {**_basics(), "descent": scratch.descent, "start": np.array([-4.0, 1.0])}


@functools.cache
def forward_propagation():
    """3.1: the seed-42 model's params and the test flowers."""
    state = network_neuron_layer()
    return {**_basics(), "params": state["params"], "x_test": state["x_test"]}


@functools.cache
def back_propagation():
    """3.2: the seed-42 model's params and one batch of 32 training flowers."""
    from iris_keras.model import build_model

    set_seed(42)
    (x_train, y_train), _ = iris.load_data()
    params = scratch.params_from_model(build_model(x_train))
    return {**_basics(), "params": params, "x": x_train[:32], "y": y_train[:32]}


@functools.cache
def gradient_descent():
    """3.3: the article recipe's initial weights, first-batch gradients, and weights trained on."""
    from iris_keras.batches import epoch_batches
    from iris_keras.recipes import build_for, get_recipe, split_for

    recipe = get_recipe("article")
    set_seed(recipe.seed)
    (x_fit, y_fit), _, _ = split_for(recipe)
    initial = scratch.params_from_model(build_for(recipe, x_fit))
    batch = epoch_batches(len(x_fit), batch_size=recipe.batch_size, seed=recipe.seed, epoch=0)[0]
    grads = scratch.backward(initial, x_fit[batch], y_fit[batch], loss="binary_crossentropy")
    params, _ = scratch.fit(initial, x_fit, y_fit, loss="binary_crossentropy", epochs=3)
    return {
        **_basics(),
        "recipe": recipe,
        "x_fit": x_fit,
        "y_fit": y_fit,
        "initial": initial,
        "grads": grads,
        "params": params,
    }


@functools.cache
def data_preparation():
    """4.1: the default (virginica) split."""
    (x_train, y_train), (x_test, _) = iris.load_data()
    return {**_basics(), "x_train": x_train, "y_train": y_train, "x_test": x_test}


@functools.cache
def build_and_compile():
    """4.2-4.3: the training features and the two builders."""
    from iris_keras.compile import compile_model
    from iris_keras.model import build_model

    (x_train, _), _ = iris.load_data()
    return {
        **_basics(),
        "x_train": x_train,
        "build_model": build_model,
        "compile_model": compile_model,
    }


def predicting(x_fit, species):
    """The three-species model that answers `species` for every flower: a collapsed run."""
    from iris_keras.model import build_model

    model = build_model(x_fit, target="onehot", units=(8, 8))
    kernel, _ = model.layers[-1].get_weights()
    model.layers[-1].set_weights([np.zeros_like(kernel), np.eye(3)[species]])
    return model


@functools.cache
def train_and_evaluate():
    """4.4-4.5: the multiclass recipe's data; its model and `my_model` collapsed (4.5-a).

    Collapsed models make every mistake of 4.5-a give another matrix: a
    well-trained model's matrix can be symmetric, and then its transpose
    is right too.
    """
    from iris_keras.compile import compile_model
    from iris_keras.evaluate import predict_classes
    from iris_keras.model import build_model
    from iris_keras.recipes import get_recipe, split_for
    from iris_keras.train import fit_model

    recipe = get_recipe("multiclass")
    set_seed(recipe.seed)
    (x_fit, y_fit), validation_data, (x_test, y_test) = split_for(recipe)
    return {
        **_basics(),
        "recipe": recipe,
        "x_fit": x_fit,
        "y_fit": y_fit,
        "validation_data": validation_data,
        "x_test": x_test,
        "y_test": y_test,
        "build_model": build_model,
        "compile_model": compile_model,
        "fit_model": fit_model,
        "predict_classes": predict_classes,
        "multiclass": predicting(x_fit, 1),
        "my_model": predicting(x_fit, 0),
    }


@functools.cache
def explainability():
    """6-explainability: the article recipe trained on seed 42, and its importances."""
    from iris_keras.importance import accuracy_score, importance_by_seed
    from iris_keras.recipes import get_recipe

    recipe = get_recipe("article")
    frame, models = importance_by_seed(recipe, [42], n_repeats=3)
    (x_train, y_train), _ = iris.load_data(**recipe.load_data_kwargs())
    return {
        **_basics(),
        "accuracy_score": accuracy_score,
        "frame": frame,
        "models": models,
        "x_train": x_train,
        "y_train": y_train,
    }


@functools.cache
def seeds():
    """6-seeds: the article's two variants and their 40 runs, as the study recorded them."""
    from iris_keras.model import build_model
    from iris_keras.study.rows import read_rows
    from iris_keras.study.variants import Variant

    shipped = Variant("article", "virginica", standardize=True, units=(4, 3))
    raw = Variant("article", "virginica", standardize=False, units=(4, 3))
    rows = [row for row in read_rows(STUDY_CSV) if row["variant"] in (shipped.name, raw.name)]
    return {
        **_basics(),
        "build_model": build_model,
        "set_seed": set_seed,
        "shipped": shipped,
        "raw": raw,
        "rows": rows,
    }


@functools.cache
def the_articles_choices():
    """2.6-4.3: the committed atlas and the lookups the notebook imports."""
    from iris_keras.study import atlas_lookup

    return {
        **_basics(),
        "atlas": atlas_lookup.committed_summary()[0],
        "article": {"recipe": "article", "learning_rate": 0.01, "momentum": 0.9, "batch_size": 32},
        "point": atlas_lookup.point,
        "median_test_accuracy": atlas_lookup.median_test_accuracy,
        "failure_shares": atlas_lookup.failure_shares,
    }


STATES = {
    "2.1-2.3-network-neuron-layer": network_neuron_layer,
    "2.4-activation-functions": activation_functions,
    "2.5-loss-functions": loss_functions,
    "2.6-optimizers": optimizers,
    "2.6-4.3-the-articles-choices": the_articles_choices,
    "3.1-forward-propagation": forward_propagation,
    "3.2-back-propagation": back_propagation,
    "3.3-gradient-descent": gradient_descent,
    "4.1-data-preparation": data_preparation,
    "4.2-4.3-build-and-compile": build_and_compile,
    "4.4-4.5-train-and-evaluate": train_and_evaluate,
    "6-explainability": explainability,
    "6-seeds": seeds,
}


def state_of(notebook):
    """The variables `notebook` (its name without `.ipynb`) holds at its exercises."""
    return STATES[notebook]()
