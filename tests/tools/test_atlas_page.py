"""The atlas page's data and controls, from the committed summary (the browser test draws them)."""

import base64
import json
import re

import numpy as np
import pytest

from iris_keras.errors import UsageError
from iris_keras.study.atlas_lookup import committed_summary, point
from tools.book.atlas_page import ARTICLE, CONTROLS, explorer_html, page_axes, page_data

MEGABYTE = 1_000_000


@pytest.fixture(scope="module")
def summary():
    return committed_summary()


def unpacked(packed):
    raw = base64.b64decode(packed["base64"])
    return np.frombuffer(raw, dtype=np.dtype(packed["dtype"]).newbyteorder("<")).reshape(
        packed["shape"]
    )


def test_the_page_data_is_the_summary_and_small_enough_for_a_page(summary):
    arrays, metadata = summary
    data = page_data(arrays, metadata)
    size = len(json.dumps(data, separators=(",", ":")))
    assert size <= 5 * MEGABYTE, size
    where = point(arrays, **ARTICLE)
    assert np.array_equal(
        unpacked(data["curves"]["val_accuracy_median"]), arrays["val_accuracy_median"]
    )
    choices = data["epoch_choices"]
    correct = unpacked(data["test_correct"])
    assert np.array_equal(correct[where], arrays["test_correct"][where][:, np.array(choices) - 1])
    assert data["metadata"]["backend"] == metadata["backend"]


def test_each_control_is_labelled_in_both_languages_and_opens_on_the_articles_choice(summary):
    page = explorer_html(page_axes(summary[0]))
    for key, chinese, english, _, _ in CONTROLS:
        label = re.search(rf'<label for="atlas-{key}">(.*?)</label>', page).group(1)
        assert f'<span lang="zh-Hans">{chinese}</span>' in label and english in label
        assert f'<select id="atlas-{key}"' in page
    selected = re.findall(r"<option value=\"\d+\" selected>([^<]+)</option>", page)
    assert selected == ["article", "0.01", "0.9", "32", "100"]
    assert page.count('role="img" aria-label=') == 4


def test_a_setting_outside_the_atlas_is_refused_by_name(summary):
    with pytest.raises(UsageError, match=r"`learning_rate`.*Received: learning_rate=0\.5$"):
        point(summary[0], **{**ARTICLE, "learning_rate": 0.5})
