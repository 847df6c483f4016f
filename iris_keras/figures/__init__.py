"""What the notebooks and the runs draw: every function returns a matplotlib `Figure`.

Figures are built without `pyplot`, so they work in scripts (no display
needed) and show inline in notebooks. One module per part of the article:

- `neurons`: §2, the network (`plot_network`), the activations and the losses;
- `descent`: §2.6 and §3.3, descent paths over a bowl, curves side by side;
- `flowers`: §4 and §6, the flowers, a model's decision regions, and the
  permutation importance of each measurement;
- `training`: a run's learning curves and confusion matrix.

Every function is also here, as `figures.plot_network` and so on.
"""

from iris_keras.figures.descent import plot_curves, plot_descent_paths
from iris_keras.figures.flowers import decision_regions, plot_flowers, plot_importance
from iris_keras.figures.neurons import (
    plot_activations,
    plot_losses_against_prediction,
    plot_network,
)
from iris_keras.figures.training import plot_confusion_matrix, plot_learning_curves

__all__ = [
    "decision_regions",
    "plot_activations",
    "plot_confusion_matrix",
    "plot_curves",
    "plot_descent_paths",
    "plot_flowers",
    "plot_importance",
    "plot_learning_curves",
    "plot_losses_against_prediction",
    "plot_network",
]
