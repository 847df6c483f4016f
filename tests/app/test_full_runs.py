"""The article's full 100-epoch runs, one per recipe, with the default seed."""

import numpy as np
import pytest

from iris_keras.app.run import train_recipe
from iris_keras.recipes import get_recipe

# Thresholds from the seed study (`make study`; rows in docs/study/study.csv,
# table in docs/study.md). Seed 42, the one these tests train, is
# the study's first seed, and the study's run is this run (same numbers).
# - article: rows `article-virginica-std-4x3`, seeds 42-61: at or above 0.9
#   on 20 of 20 (min 0.900, seed 42: 0.967), never collapsed.
# - multiclass: rows `multiclass-std-16x8` (the recipe since the study
#   widened it), seeds 42-61: at or above 0.9 on 19 of 20 (min 0.867 on
#   seed 56; seed 42: 0.967). With the article's 4-3 layers
#   (`multiclass-std-4x3`) it was 15 of 20, which is why the recipe changed.
# 0.9 is the bar the corrected recipe must clear on 19 seeds in 20.
MIN_TEST_ACCURACY = {"article": 0.9, "multiclass": 0.9}


@pytest.mark.slow
@pytest.mark.parametrize("recipe_name", ["article", "multiclass"])
def test_full_run(recipe_name, tmp_path):
    metrics = train_recipe(get_recipe(recipe_name), output_dir=tmp_path, device="cpu", verbose=0)
    assert metrics["epochs_run"] == 100
    # Compared in float32, as the study counts: Keras's 27/30 is 0.89999998.
    assert np.float32(metrics["test_accuracy"]) >= np.float32(MIN_TEST_ACCURACY[recipe_name])
    assert metrics["reload_matches"]
