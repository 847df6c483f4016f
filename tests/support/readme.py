"""The README's seed-42 results table, read as data: what the tests hold it to."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
HEADER = "| backend | recipe | test accuracy | test loss | confusion matrix (rows true) |"
BACKENDS = {"TensorFlow": "tensorflow", "JAX": "jax", "PyTorch": "torch"}


def readme_results():
    """`{(backend, recipe): row}` from README.md's results table.

    Returns:
        A dict keyed by Keras's backend name (`"tensorflow"`, `"jax"`,
        `"torch"`) and the recipe (`"article"`, `"multiclass"`); each row is
        a dict with `test_accuracy` and `test_loss` as printed (3 decimals,
        strings) and `confusion_matrix` as a list of lists.
    """
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER)
    results = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        backend, recipe, accuracy, loss, matrix = (c.strip() for c in line.strip("|").split("|"))
        key = (BACKENDS[backend], recipe.split()[0].strip("`"))
        results[key] = {
            "test_accuracy": accuracy,
            "test_loss": loss,
            "confusion_matrix": json.loads(matrix.strip("`")),
        }
    return results
