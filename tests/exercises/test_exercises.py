"""Every exercise's solution passes its check; every recorded wrong answer fails it, with its hint.

One table of the mistakes learners make (the article's own errors among
them: `input_dim=5`, a binary head on three species, raw centimetres,
`binary_crossentropy`), at least three per exercise. Each runs, as the
learner's answer cell would, on the variables its notebook holds at its
exercises (`tests/support/notebook_state.py`), and its check must name
the mistake: a check that accepts a wrong answer fails here. The table runs
on whichever backend the tests run on (`make test BACKEND=jax`, `torch`).
"""

import collections
import re

import pytest

from iris_keras.exercises import EXERCISES, try_answer
from tests.support.notebook_state import state_of

PLATEAU = "np.flatnonzero(np.isclose(row, np.nanmax(row)))[0]"


def plateau_rate(epochs=100, index=False, pick=PLATEAU):
    """A 2.6-4.3-a answer: a learning rate (or its index) picked from the momentum-0 row."""
    found = pick if index else f'atlas["learning_rates"][{pick}]'
    return (
        f"medians = median_test_accuracy(atlas, epochs={epochs})\n"
        'recipe, _, momentum, batch = point(atlas, **{**article, "momentum": 0.0})\n'
        f"row = medians[recipe, :, momentum, batch]\nmy_learning_rate = {found}"
    )


def hot_share(then="", epochs=100, kind="collapsed"):
    """A 2.6-4.3-b answer: a share of the hot corner's seeds, `then` applied to it."""
    return (
        'hot = point(atlas, **{**article, "learning_rate": 0.3, "momentum": 0.99})\n'
        f'my_collapsed_share = failure_shares(atlas, epochs={epochs})["{kind}"][hot] {then}'
    )


# (exercise, the wrong answer as a learner types it, the hint its check must give)
WRONG_ANSWERS = [
    ("2.1-a", "my_parameter_count = 4 * 16 + 16 * 8 + 8 * 3", "counts the kernels only"),
    ("2.1-a", "my_parameter_count = (5 * 16 + 16) + (16 * 8 + 8) + (8 * 3 + 3)", "input_dim=5"),
    ("2.1-a", "my_parameter_count = (4 * 16 + 16) + (16 * 8 + 8) + (8 + 1)", "binary head"),
    ("2.1-a", "my_parameter_count = 16 + 8 + 3", "counts the units"),
    ("2.2-a", "my_activations = x_test[:5] @ w + b", "before the activation"),
    ("2.2-a", "my_activations = 1 / (1 + np.exp(-(x_test[:5] @ w)))", "leaves out the bias"),
    ("2.2-a", "my_activations = np.maximum(x_test[:5] @ w + b, 0)", r"is ReLU\(z\)"),
    ("2.2-a", "my_activations = 1 / (1 + np.exp(x_test[:5] @ w + b))", r"sigmoid\(−z\)"),
    ("2.2-a", "my_activations = 1 / (1 + np.exp(-(x_test[:5] @ w[:, None] + b)))", "one column"),
    (
        "2.3-a",
        'my_hidden = np.maximum(x_test[:5] @ params[1]["W"] + params[1]["b"], 0)',
        "raw centimetres",
    ),
    (
        "2.3-a",
        'x = (x_test[:5] - params[0]["mean"]) / params[0]["std"]\n'
        'my_hidden = x @ params[1]["W"] + params[1]["b"]',
        "before the ReLU",
    ),
    (
        "2.3-a",
        'x = (x_test[:5] - params[0]["mean"]) / params[0]["std"]\n'
        'my_hidden = np.maximum(x @ params[1]["W"].T + params[1]["b"], 0)',
        "column i of the kernel",
    ),
    (
        "2.3-a",
        'x = x_test[:5] - params[0]["mean"]\n'
        'my_hidden = np.maximum(x @ params[1]["W"] + params[1]["b"], 0)',
        "only subtracts the mean",
    ),
    ("2.4-a", "points = np.arange(-2.0, 3.0)\nmy_tanh_slopes = 1 - np.tanh(points)", "square it"),
    (
        "2.4-a",
        "points = np.arange(-2.0, 3.0)\nmy_tanh_slopes = np.tanh(points) * (1 - np.tanh(points))",
        "the sigmoid's form",
    ),
    ("2.4-a", "points = np.arange(-2.0, 3.0)\nmy_tanh_slopes = 1 - points**2", "not z"),
    (
        "2.4-a",
        "my_tanh_slopes = 1 - np.tanh(0.0) ** 2",
        "has shape \\(\\); expected shape \\(5,\\)",
    ),
    ("2.4-b", "my_softmax = np.exp(scores)", "do not sum to 1"),
    ("2.4-b", "my_softmax = np.exp(scores) / np.exp(scores).sum(axis=0)", "columns that sum to 1"),
    ("2.4-b", "my_softmax = np.exp(scores) / np.exp(scores).sum()", "the whole array"),
    ("2.4-b", "my_softmax = 1 / (1 + np.exp(-scores))", "the sigmoid of each score"),
    (
        "2.5-a",
        "my_bce = -np.sum(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))",
        "sums the losses of the 5 flowers",
    ),
    (
        "2.5-a",
        "my_bce = np.mean(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))",
        "is negative",
    ),
    ("2.5-a", "my_bce = -np.mean(y_true * np.log(y_pred))", "keeps only the y log p term"),
    (
        "2.5-a",
        "my_bce = -np.mean(y_true * np.log10(y_pred) + (1 - y_true) * np.log10(1 - y_pred))",
        "log base 10",
    ),
    ("2.5-b", "my_mse_gradient = (y_pred - y_true) / y_pred.size", "half the gradient"),
    ("2.5-b", "my_mse_gradient = 2 * (y_pred - y_true)", "leaves out the 1/n"),
    ("2.5-b", "my_mse_gradient = 2 * (y_true - y_pred) / y_pred.size", "has the wrong sign"),
    ("2.5-b", "my_mse_gradient = 4 * (y_pred - y_true) / y_pred.size", "off by a factor of 2"),
    (
        "2.6-a",
        "my_point = start.copy()\nfor step in range(2):\n"
        "    my_point = my_point - 0.01 * descent.bowl_gradient(my_point)",
        "plain gradient descent",
    ),
    ("2.6-a", "my_point = start - 0.01 * descent.bowl_gradient(start)", "after one step"),
    (
        "2.6-a",
        "point, velocity = start.copy(), 0\nfor step in range(2):\n"
        "    velocity = 0.9 * velocity + 0.01 * descent.bowl_gradient(point)\n"
        "    point = point + velocity\nmy_point = point",
        "went uphill",
    ),
    (
        "2.6-a",
        "point, velocity = start.copy(), 0\nfor step in range(2):\n"
        "    velocity = 0.01 * velocity - 0.9 * descent.bowl_gradient(point)\n"
        "    point = point + velocity\nmy_point = point",
        "swaps the learning rate and the momentum",
    ),
    ("2.6-b", "my_optimizer = keras.optimizers.Adam(learning_rate=0.01)", "is Adam"),
    ("2.6-b", "my_optimizer = keras.optimizers.SGD(learning_rate=0.01)", "has momentum 0;"),
    ("2.6-b", 'my_optimizer = "sgd"', "is the text 'sgd'"),
    (
        "2.6-b",
        "my_optimizer = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)",
        "has learning rate 0.1",
    ),
    (
        "3.1-a",
        "a = x_test[:5]\nfor layer in params[1:]:\n"
        '    a = scratch.activations.activate(layer["activation"], a @ layer["W"] + layer["b"])\n'
        "my_probabilities = a",
        "raw centimetres",
    ),
    (
        "3.1-a",
        'a = (x_test[:5] - params[0]["mean"]) / params[0]["std"]\nfor layer in params[1:]:\n'
        '    a = np.maximum(a @ layer["W"] + layer["b"], 0)\nmy_probabilities = a',
        "not a probability",
    ),
    (
        "3.1-a",
        'a = (x_test[:5] - params[0]["mean"]) / params[0]["std"]\nfor layer in params[1:]:\n'
        '    a = a @ layer["W"] + layer["b"]\nmy_probabilities = 1 / (1 + np.exp(-a))',
        "leaves the ReLU out",
    ),
    ("3.1-a", "my_probabilities = scratch.forward(params, x_test[:5])[:, 0]", "has shape \\(5,\\)"),
    ("3.1-b", "my_hidden_2 = scratch.forward(params[:2], x_test)", "first hidden layer's output"),
    (
        "3.1-b",
        "a1 = scratch.forward(params[:2], x_test)\n"
        'my_hidden_2 = a1 @ params[2]["W"] + params[2]["b"]',
        "before the ReLU",
    ),
    ("3.1-b", "my_hidden_2 = scratch.forward(params[1:3], x_test)", "raw centimetres"),
    ("3.1-b", "my_hidden_2 = scratch.forward(params, x_test)", "the network's output"),
]

# 3.2: the forward pass as the solution makes it, then one slip in the backward step.
FORWARD_32 = (
    "a1 = scratch.forward(params[:2], x)\na2 = scratch.forward(params[:3], x)\n"
    "a3 = scratch.forward(params, x)\ndelta3 = (a3 - y[:, None]) / len(x)\n"
)
DELTA2 = (
    'z2 = a1 @ params[2]["W"] + params[2]["b"]\ndelta2 = (delta3 @ params[3]["W"].T) * (z2 > 0)\n'
)
WRONG_ANSWERS += [
    ("3.2-a", FORWARD_32 + "my_output_kernel_gradient = -(a2.T @ delta3)", "has the wrong sign"),
    ("3.2-a", FORWARD_32 + "my_output_kernel_gradient = a2.T @ (a3 - y[:, None])", "32 times"),
    (
        "3.2-a",
        FORWARD_32 + "my_output_kernel_gradient = a2.T @ (delta3 * a3 * (1 - a3))",
        "the sigmoid's slope",
    ),
    ("3.2-a", FORWARD_32 + "my_output_kernel_gradient = delta3.T @ a2", "is transposed"),
    ("3.2-a", FORWARD_32 + "my_output_kernel_gradient = a2.T @ (a3 - y) / len(x)", r"y\[:, None\]"),
    ("3.2-b", FORWARD_32 + DELTA2 + "my_hidden_2_bias_gradient = delta2.mean(axis=0)", "averages"),
    (
        "3.2-b",
        FORWARD_32 + 'my_hidden_2_bias_gradient = (delta3 @ params[3]["W"].T).sum(axis=0)',
        "the ReLU's slope",
    ),
    (
        "3.2-b",
        FORWARD_32 + DELTA2 + "my_hidden_2_bias_gradient = -delta2.sum(axis=0)",
        "wrong sign",
    ),
    ("3.2-b", FORWARD_32 + DELTA2 + "my_hidden_2_bias_gradient = delta2.sum(axis=1)", "axis=1"),
    (
        "3.3-a",
        'my_output_kernel = initial[3]["W"] + recipe.learning_rate * grads[3]["W"]',
        "went uphill",
    ),
    ("3.3-a", 'my_output_kernel = initial[3]["W"] - grads[3]["W"]', "the whole gradient"),
    (
        "3.3-a",
        'my_output_kernel = initial[3]["W"] - recipe.momentum * grads[3]["W"]',
        "uses the momentum 0.9 as the step size",
    ),
    ("3.3-a", 'my_output_kernel = -recipe.learning_rate * grads[3]["W"]', "is the step"),
]
FIT_33 = (
    "scratch.fit({start}, x_fit, y_fit, loss='binary_crossentropy', epochs={epochs}, "
    "momentum={momentum}, seed={seed})"
)


def fit_33(start="initial", epochs=10, momentum=0.0, seed="recipe.seed", keep="[1]"):
    return (
        "my_history = "
        + FIT_33.format(start=start, epochs=epochs, momentum=momentum, seed=seed)
        + keep
    )


WRONG_ANSWERS += [
    ("3.3-b", fit_33(momentum="recipe.momentum"), "the run with momentum 0.9"),
    ("3.3-b", fit_33(start="params"), "starts from the trained weights"),
    ("3.3-b", fit_33(seed=0), "another seed"),
    ("3.3-b", fit_33(epochs=100), "has 100 epochs"),
    ("3.3-b", fit_33(keep=""), "should be the history"),
    ("4.1-a", "(_, my_y_train), _ = iris.load_data()", "labels virginica"),
    ("4.1-a", "(_, my_y_train), _ = iris.load_data(target='sparse')", "species indices"),
    ("4.1-a", "(_, my_y_train), _ = iris.load_data(target='onehot')", "is one-hot"),
    (
        "4.1-a",
        "(_, labels), _ = iris.load_data(positive_class='versicolor')\nmy_y_train = 1 - labels",
        "the other way round",
    ),
    ("4.1-b", "my_x_standardized = x_train", "still in centimetres"),
    (
        "4.1-b",
        "my_x_standardized = (x_train - x_train.mean(axis=1, keepdims=True)) "
        "/ x_train.std(axis=1, keepdims=True)",
        "each flower",
    ),
    (
        "4.1-b",
        "my_x_standardized = (x_train - x_train.mean(axis=0)) / x_train.var(axis=0)",
        "divides by the variance",
    ),
    ("4.1-b", "my_x_standardized = x_train - x_train.mean(axis=0)", "centred but not scaled"),
]


def layers_42(inputs=4, standardize="normalization", head="keras.layers.Dense(3, 'softmax')"):
    """A 4.2-a answer: the solution's Sequential with one of its pieces changed."""
    adapted = "normalization = keras.layers.Normalization()\nnormalization.adapt(x_train)\n"
    return (
        adapted + f"my_model = keras.Sequential([keras.Input(shape=({inputs},)), {standardize}, "
        f"keras.layers.Dense(4, 'relu'), keras.layers.Dense(3, 'relu'), {head}])"
    ).replace(", None,", ",")


def compile_43(loss="'categorical_crossentropy'", momentum=0.9, metrics="['accuracy']"):
    """A 4.3-a answer: the solution's compile with one argument changed."""
    return (
        "my_compiled = build_model(x_train, target='onehot')\nmy_compiled.compile("
        f"optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum={momentum}), "
        f"loss={loss}, metrics={metrics})"
    )


WRONG_ANSWERS += [
    ("4.2-a", layers_42(inputs=5), "input_dim=5"),
    ("4.2-a", layers_42(head="keras.layers.Dense(1, 'sigmoid')"), "erratum 3"),
    ("4.2-a", layers_42(standardize=None), "raw centimetres"),
    ("4.2-a", layers_42(head="keras.layers.Dense(3, 'sigmoid')"), "ends in sigmoid"),
    ("4.2-a", layers_42(standardize="keras.layers.Normalization()"), "has not seen x_train"),
    ("4.3-a", compile_43(loss="'binary_crossentropy'"), "the article's loss for one sigmoid"),
    ("4.3-a", compile_43(loss="'sparse_categorical_crossentropy'"), "expects species indices"),
    ("4.3-a", compile_43(momentum=0.0), "momentum 0: the article's"),
    ("4.3-a", compile_43(metrics="None"), "reports no accuracy"),
    ("4.3-a", "my_compiled = build_model(x_train, target='onehot')", "is not compiled"),
]


def train_44(units=(8, 8), standardize=True, epochs=20, learning_rate=0.1):
    """A 4.4-a answer: the solution with one setting changed."""
    return (
        f"my_model = build_model(x_fit, target='onehot', units={units}, "
        f"standardize={standardize})\n"
        f"compile_model(my_model, target='onehot', learning_rate={learning_rate})\n"
        f"my_history = fit_model(my_model, x_fit, y_fit, validation_data=validation_data, "
        f"epochs={epochs}, seed=recipe.seed, verbose=0)"
    )


CONFUSION_45 = (
    "from sklearn.metrics import confusion_matrix\n"
    "true, predicted = y_test.argmax(axis=1), predict_classes({model}, {x})\n"
)
WRONG_ANSWERS += [
    ("4.4-a", train_44(units=(4, 3)), r"hidden layers of \(4, 3\) units"),
    ("4.4-a", train_44(standardize=False), "raw centimetres"),
    ("4.4-a", train_44(epochs=5), "has 5 epochs"),
    ("4.4-a", train_44(learning_rate=1e-4), "did not learn.*at learning rate 0.0001; use 0.1"),
    (
        "4.5-a",
        CONFUSION_45.format(model="my_model", x="x_test")
        + "my_confusion = confusion_matrix(predicted, true)",
        "is transposed",
    ),
    (
        "4.5-a",
        CONFUSION_45.format(model="my_model", x="x_test")
        + "my_confusion = confusion_matrix(true, predicted, normalize='all')",
        "holds fractions",
    ),
    (
        "4.5-a",
        CONFUSION_45.format(model="multiclass", x="x_test")
        + "my_confusion = confusion_matrix(true, predicted, labels=[0, 1, 2])",
        "the notebook's `multiclass`",
    ),
    (
        "4.5-a",
        CONFUSION_45.format(model="my_model", x="x_test")
        + "my_confusion = confusion_matrix(true, predicted, labels=[0, 1, 2], normalize='true')",
        "each row's fractions",
    ),
]
SHUFFLE_6 = (
    "order = np.random.default_rng(0).permutation(len(x_train))\nshuffled = x_train.copy()\n"
    "shuffled[:, {column}] = x_train[order, {column}]\n"
    "before = accuracy_score(models[42], x_train, y_train)\n"
    "after = accuracy_score(models[42], shuffled, y_train)\n"
)
RANKED_6 = 'ranked = list(frame[frame["seed"] == 42].sort_values("importance_mean")["feature"])\n'
SEEDED_6 = "set_seed({seed})\n{name} = build_model(standardize=False).get_weights()[{index}]\n"


def seeded(first=7, second=7, other=8, index=0):
    """A 6-seeds-a answer: the three builds after the seeds given (None: no set_seed)."""
    builds = [("my_first", first), ("my_second", second), ("my_other", other)]
    code = "".join(SEEDED_6.format(seed=seed, name=name, index=index) for name, seed in builds)
    return code.replace("set_seed(None)\n", "")


RAW_RUNS_6 = 'raw_runs = [row for row in rows if row["variant"] == raw.name]\n'
WRONG_ANSWERS += [
    (
        "6-explainability-a",
        SHUFFLE_6.format(column=2) + "my_importance = after",
        "the accuracy after",
    ),
    (
        "6-explainability-a",
        SHUFFLE_6.format(column=2) + "my_importance = after - before",
        "is negative",
    ),
    (
        "6-explainability-a",
        SHUFFLE_6.format(column=0) + "my_importance = before - after",
        "column 0",
    ),
    (
        "6-explainability-a",
        SHUFFLE_6.format(column=2)
        + "my_importance = before - accuracy_score(models[42], x_train[order], y_train)",
        "whole flowers",
    ),
    (
        "6-explainability-b",
        RANKED_6 + "my_ranking = ranked",
        "from the least important to the most",
    ),
    ("6-explainability-b", RANKED_6 + "my_ranking = ranked[1:]", "has 3 names"),
    (
        "6-explainability-b",
        "my_ranking = ['petal length', 'petal width']",
        "'petal length', not a name",
    ),
    ("6-explainability-b", RANKED_6 + "my_ranking = ' '.join(ranked[::-1])", "should be a list"),
    ("2.6-4.3-a", "my_learning_rate = article['learning_rate']", "article's momentum 0.9"),
    ("2.6-4.3-a", plateau_rate(index=True), "is an index"),
    ("2.6-4.3-a", plateau_rate(epochs=20), "after 20 epochs"),
    ("2.6-4.3-a", plateau_rate(epochs=200), "after 200 epochs"),
    ("2.6-4.3-a", plateau_rate(pick="np.nanargmin(row)"), "is not the smallest"),
    ("2.6-4.3-b", hot_share("* 20"), "is a count: divide it by the 20 seeds"),
    ("2.6-4.3-b", hot_share("* -1 + 1"), "did not collapse"),
    ("2.6-4.3-b", hot_share(kind="diverged"), "diverged \\(none did\\)"),
    ("2.6-4.3-b", hot_share(epochs=20), "after 20 epochs"),
    ("2.6-4.3-b", hot_share(epochs=200), "after 200 epochs"),
    ("6-seeds-a", seeded(second=None), "call set_seed\\(7\\) again"),
    ("6-seeds-a", seeded(other=7), "`my_other` equals `my_first`"),
    ("6-seeds-a", seeded(first=8), "is seed 8's kernel"),
    ("6-seeds-a", seeded(index=-2), r"has shape \(3, 1\); expected shape \(4, 4\)"),
    (
        "6-seeds-b",
        RAW_RUNS_6 + "my_collapse_rate = sum(r['collapsed'] for r in raw_runs) / len(rows)",
        "all 40 runs",
    ),
    (
        "6-seeds-b",
        RAW_RUNS_6 + "my_collapse_rate = sum(r['collapsed'] for r in raw_runs)",
        "is a count",
    ),
    (
        "6-seeds-b",
        "runs = [row for row in rows if row['variant'] == shipped.name]\n"
        "my_collapse_rate = sum(r['collapsed'] for r in runs) / len(runs)",
        "the standardized recipe's rate",
    ),
    (
        "6-seeds-b",
        RAW_RUNS_6 + "my_collapse_rate = sum(not r['collapsed'] for r in raw_runs) / len(raw_runs)",
        "did not collapse",
    ),
]
MINIMUM_WRONG_ANSWERS = 3


def ids(table):
    seen = collections.Counter()
    names = []
    for exercise, _, _ in table:
        seen[exercise] += 1
        names.append(f"{exercise}-wrong-{seen[exercise]}")
    return names


@pytest.mark.parametrize("exercise", EXERCISES.values(), ids=list(EXERCISES))
def test_the_solution_passes_its_check(exercise):
    verdict = try_answer(exercise, exercise.solution, state_of(exercise.notebook))
    assert str(verdict) == f"✔ {exercise.id}: {exercise.right}"


@pytest.mark.parametrize(("exercise_id", "code", "hint"), WRONG_ANSWERS, ids=ids(WRONG_ANSWERS))
def test_a_typical_wrong_answer_fails_its_check_with_the_hint_that_names_it(
    exercise_id, code, hint
):
    exercise = EXERCISES[exercise_id]
    verdict = try_answer(exercise, code, state_of(exercise.notebook))
    assert verdict.status == "wrong", f"{exercise_id} accepted a wrong answer:\n{code}"
    assert re.search(hint, verdict.message), str(verdict)
    assert str(verdict).startswith(f"✘ {exercise_id}: ") and "\n" not in str(verdict)


def test_every_exercise_keeps_at_least_three_wrong_answers():
    counted = collections.Counter(exercise for exercise, _, _ in WRONG_ANSWERS)
    assert {
        name: counted[name] for name in EXERCISES if counted[name] < MINIMUM_WRONG_ANSWERS
    } == {}
    assert set(counted) <= set(EXERCISES)
