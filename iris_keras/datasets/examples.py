"""Two tables to try `--data` on, as a spreadsheet would hold them: wine and breast cancer.

scikit-learn bundles both (no download). Each comes as one row per sample,
its measurements, and a last column of class names in words:

- `wine`: 178 wines, 13 chemical measurements, the `cultivar` (class_0,
  class_1, class_2);
- `breast_cancer`: 569 tumours, 30 measurements of cell nuclei, the
  `diagnosis` (benign, malignant).

Write one into the current folder and train on it:

    python -m iris_keras.datasets.examples wine     # writes wine.csv
    iris-keras train --data wine.csv --target cultivar

>>> load_frame("wine").shape
(178, 14)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from iris_keras.errors import check_choice

if TYPE_CHECKING:
    import pandas as pd

# Each example: scikit-learn's loader and the name of the class column.
EXAMPLES = {"wine": ("load_wine", "cultivar"), "breast_cancer": ("load_breast_cancer", "diagnosis")}


def load_frame(name: str) -> pd.DataFrame:
    """An example table as a DataFrame: the measurements, then the class column in words.

    Args:
        name: `"wine"` or `"breast_cancer"`.

    Returns:
        A DataFrame of shape (178, 14) or (569, 31).
    """
    import sklearn.datasets

    loader, target = EXAMPLES[check_choice("name", name, tuple(EXAMPLES))]
    bunch = getattr(sklearn.datasets, loader)(as_frame=True)
    frame = bunch.frame.drop(columns="target")
    frame[target] = bunch.target_names[bunch.target.to_numpy()]
    return frame


def write_csv(name: str, path: str | Path) -> Path:
    """Writes an example table to a CSV file in UTF-8, as `table.load_data` reads it.

    Returns:
        The path written.
    """
    path = Path(path)
    load_frame(name).to_csv(path, index=False)
    return path


def main(argv: list[str] | None = None) -> int:
    """`python -m iris_keras.datasets.examples NAME`: writes NAME.csv into the current folder."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in EXAMPLES:
        print(
            f"usage: python -m iris_keras.datasets.examples {'|'.join(EXAMPLES)}", file=sys.stderr
        )
        return 2
    name = argv[0]
    path = write_csv(name, f"{name}.csv")
    rows, columns = load_frame(name).shape
    print(f"wrote {path}: {rows} rows, {columns - 1} measurements, column {EXAMPLES[name][1]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
