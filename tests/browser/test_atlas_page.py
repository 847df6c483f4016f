"""The atlas page of the book, offline in Chromium: each control redraws the charts.

The page (`docs/atlas.md`, `tools/book/atlas_page.py`, `docs/_static/atlas.js`)
is opened from `file://` with the network refused (Chromium's offline
emulation), as a reader without a network would: nothing is requested from
the network, plotly.js draws four charts, and changing a
control changes the data the charts hold (Plotly keeps it on each chart's
element, `.data`) and the sentence that says it in words. The numbers the
page shows are the committed summary's (`atlas_lookup`). Its accessibility is
the book's test's (`test_book_accessibility.py` checks every page).
"""

import re
from urllib.parse import urlsplit

import numpy as np
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from iris_keras.study.atlas_lookup import (
    committed_summary,
    failure_shares,
    median_test_accuracy,
    point,
    seed_accuracies,
)
from tests.support.book import BOOK
from tests.support.browser import requested_urls

CHARTS = ("accuracy", "loss", "spread", "map")

# What the page holds: each chart's traces (Plotly's `data`), its text alternative, the sentence.
READ = """
const charts = {};
for (const name of arguments[0]) {
  const chart = document.getElementById(`atlas-${name}`);
  if (!chart.data) return null;
  charts[name] = {
    data: chart.data.map((trace) => ({x: trace.x, y: trace.y, z: trace.z})),
    label: chart.getAttribute("aria-label"),
    drawn: chart.querySelectorAll("svg.main-svg").length,
  };
}
return {charts: charts, summary: document.getElementById("atlas-summary").textContent};
"""


def read(driver):
    return WebDriverWait(driver, 60).until(lambda _: driver.execute_script(READ, CHARTS))


def choose(driver, control, text):
    Select(driver.find_element(By.ID, f"atlas-{control}")).select_by_visible_text(text)
    return read(driver)


def remote(driver):
    """What the page requested from anywhere but its own files since the last call."""
    return [url for url in requested_urls(driver) if urlsplit(url).scheme not in {"file", "data"}]


def said(summary, name):
    return float(re.search(rf"{name} ([\d.]+)", summary).group(1))


@pytest.mark.browser
def test_the_atlas_page_redraws_offline_when_a_control_changes(chromium, book):
    assert BOOK / "atlas.html" in book
    # The network refused, as in a classroom without one (Chromium's offline emulation).
    chromium.execute_cdp_cmd("Network.enable", {})
    offline = {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0}
    chromium.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
    chromium.get((BOOK / "atlas.html").as_uri())
    first = read(chromium)
    assert remote(chromium) == []
    assert all(first["charts"][name]["drawn"] for name in CHARTS)
    summary, _ = committed_summary()
    setting = {"recipe": "article", "learning_rate": 0.01, "momentum": 0.9, "batch_size": 32}
    article = point(summary, **setting)  # the page opens on the article's choice
    assert said(first["summary"], "median test accuracy") == pytest.approx(
        median_test_accuracy(summary, epochs=100)[article], abs=5e-4
    )
    marks = first["charts"]["map"]["data"][1]
    assert (marks["x"][0], marks["y"][0]) == ("0.01", "0.9")  # the article's choice, marked

    choose(chromium, "learning-rate", "0.3")
    hot = choose(chromium, "momentum", "0.99")
    for name in ("accuracy", "loss", "spread"):
        assert hot["charts"][name]["data"] != first["charts"][name]["data"], name
        assert hot["charts"][name]["label"] != first["charts"][name]["label"], name
    assert hot["charts"]["map"]["data"][0] == first["charts"]["map"]["data"][0]  # same batch
    at_hot = point(summary, **{**setting, "learning_rate": 0.3, "momentum": 0.99})
    collapsed = failure_shares(summary, epochs=100)["collapsed"][at_hot]
    assert f"collapsed to one class {round(collapsed * 20)} of 20" in hot["summary"]

    wide = choose(chromium, "batch-size", "120")
    assert wide["charts"]["map"]["data"][0]["z"] != hot["charts"]["map"]["data"][0]["z"]
    later = choose(chromium, "epochs", "200")
    assert "120, 200 epochs" in later["summary"]
    at_wide = point(
        summary, **{**setting, "learning_rate": 0.3, "momentum": 0.99, "batch_size": 120}
    )
    seeds = seed_accuracies(summary, at_wide, epochs=200)
    scores, counts = np.unique(seeds[~np.isnan(seeds)], return_counts=True)
    bars = later["charts"]["spread"]["data"][0]
    assert np.allclose(bars["x"], scores) and bars["y"] == counts.tolist()
    medians = np.array(later["charts"]["map"]["data"][0]["z"], dtype=float)  # momentum x rate
    recipe, _, _, batch = point(summary, **{**setting, "batch_size": 120})
    expected = median_test_accuracy(summary, epochs=200)[recipe, :, :, batch].T
    assert np.allclose(medians, expected, atol=1e-3)
    assert remote(chromium) == []
