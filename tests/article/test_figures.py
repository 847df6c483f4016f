import numpy as np
import pytest
from matplotlib.figure import Figure

from iris_keras import figures
from iris_keras.datasets import iris
from iris_keras.scratch import descent


class PetalLengthModel:
    """A stand-in for a Keras model: class 1 where petal length exceeds 4 cm."""

    def __call__(self, x, training=False):
        return (x[:, 2:3] > 4.0).astype(np.float32)


@pytest.fixture(scope="module")
def data():
    return iris.load_data(target="sparse")


def test_decision_regions_vary_two_features_and_hold_the_rest(data):
    (x_train, _), _ = data
    first, second, classes = figures.decision_regions(PetalLengthModel(), x_train, steps=50)
    assert first.shape == second.shape == classes.shape == (50, 50)
    np.testing.assert_array_equal(classes, (first > 4.0).astype(np.int64))
    assert first.min() == pytest.approx(x_train[:, 2].min() - 0.5)
    assert second.max() == pytest.approx(x_train[:, 3].max() + 0.5)


def test_plot_flowers_draws_one_group_per_class_over_the_regions(data):
    (x_train, y_train), _ = data
    regions = figures.decision_regions(PetalLengthModel(), x_train, steps=20)
    figure = figures.plot_flowers(
        x_train,
        y_train,
        class_names=iris.SPECIES,
        axis_names=("petal length", "petal width"),
        regions=regions,
    )
    (axes,) = figure.axes
    assert len(axes.collections) >= 3  # the filled regions, then one scatter per species
    assert [text.get_text() for text in axes.get_legend().get_texts()] == list(iris.SPECIES)


@pytest.mark.parametrize(
    "make, panels, lines",
    [
        pytest.param(lambda: figures.plot_network((4, 4, 3, 1)), 1, 16 + 12 + 3, id="network"),
        pytest.param(figures.plot_activations, 2, 3 + 1, id="activations"),
        pytest.param(figures.plot_losses_against_prediction, 2, 2, id="losses"),
        pytest.param(
            lambda: figures.plot_descent_paths(
                {"plain": descent.descent_path([-4.0, 1.0], steps=10)}
            ),
            1,
            1,
            id="descent",
        ),
        pytest.param(
            lambda: figures.plot_curves({"keras": [3, 2, 1], "numpy": [3, 2, 1]}), 1, 2, id="curves"
        ),
    ],
)
def test_figures_have_their_panels_and_lines(make, panels, lines):
    figure = make()
    assert isinstance(figure, Figure)
    assert len(figure.axes) == panels
    assert len(figure.axes[0].lines) == lines
