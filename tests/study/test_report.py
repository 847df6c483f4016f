"""The study's report: statistics, markdown, plot and the README block, on made-up rows."""

import numpy as np
import pytest

from iris_keras.errors import IrisKerasError
from iris_keras.study.report import summary_markdown, update_readme, write_report
from iris_keras.study.statistics import meets_criterion, summarize, summary_text
from iris_keras.study.variants import Variant

SHIPPED_ARTICLE = Variant("article", "virginica", True, (4, 3))
RAW_ARTICLE = Variant("article", "virginica", False, (4, 3))
VARIANTS = [SHIPPED_ARTICLE, RAW_ARTICLE]
# Keras's float32 accuracies on 30 test flowers.
ACCURACY = {right: float(np.float32(right / 30)) for right in (20, 27, 29, 30)}


def _rows():
    rows = []
    for variant, rights in ((SHIPPED_ARTICLE, (30, 29, 27, 20)), (RAW_ARTICLE, (20, 20, 30, 30))):
        for seed, right in enumerate(rights, start=42):
            rows.append(
                {
                    "variant": variant.name,
                    "seed": seed,
                    "test_accuracy": ACCURACY[right],
                    "collapsed": right == 20,
                    "dead_units": 3 if right == 20 else 0,
                    "epoch_to_0.95": None if right == 20 else 10 * (seed - 41),
                }
            )
    return rows


METADATA = {
    "seeds": [42, 43, 44, 45],
    "epochs": 100,
    "variants": [variant.name for variant in VARIANTS],
    "sessions": [
        {
            "started": "2026-01-02T10:00:00+00:00",
            "finished": "2026-01-02T10:03:05+00:00",
            "workers": 2,
            "runs": 8,
            "wall_seconds": 185.0,
            "machine": "CPU: Test CPU, 2 cores",
            "versions": {"python": "3.11.7", "tensorflow": "2.21.0", "keras": "3.15.1"},
        }
    ],
}


def test_summarize_counts_27_of_30_as_reaching_0_9():
    shipped, raw = summarize(_rows(), VARIANTS)
    assert shipped["variant"] == "article-virginica-std-4x3" and shipped["shipped"]
    assert not raw["shipped"]
    assert (shipped["n"], shipped["reliable"], shipped["collapses"]) == (4, 3, 1)
    assert shipped["mean"] == pytest.approx((30 + 29 + 27 + 20) / 120)
    assert shipped["std"] == pytest.approx(np.std([30, 29, 27, 20], ddof=1) / 30, rel=1e-6)
    assert (shipped["min"], shipped["max"]) == (ACCURACY[20], 1.0)
    assert (shipped["epoch_to_0.95"], shipped["reached"]) == (20.0, 3)
    assert shipped["dead_units"] == 0.75
    assert (raw["reliable"], raw["collapses"], raw["epoch_to_0.95"]) == (2, 2, 35.0)


@pytest.mark.parametrize(
    "n, reliable, expected",
    [
        pytest.param(20, 20, True, id="20-of-20"),
        pytest.param(20, 19, True, id="19-of-20"),
        pytest.param(20, 18, False, id="18-of-20"),
        pytest.param(10, 10, True, id="10-of-10"),
        pytest.param(10, 9, False, id="9-of-10"),
        pytest.param(40, 38, True, id="38-of-40"),
        pytest.param(0, 0, False, id="no-runs"),
        pytest.param(1, 1, True, id="1-of-1"),
    ],
)
def test_meets_criterion(n, reliable, expected):
    assert meets_criterion({"n": n, "reliable": reliable}) is expected


def test_summary_markdown_table_verdicts_and_provenance():
    text = summary_markdown(_rows(), METADATA, VARIANTS, link_prefix="docs/study/")
    assert (
        "| **`article-virginica-std-4x3`** | 4 | 0.883 ± 0.150 | 0.667 | 1.000 | 3 | 1 | 0.8 "
        "| 20 (3/4) |" in text
    )
    assert "| `article-virginica-raw-4x3` | 4 | 0.833 ± 0.192 |" in text
    assert (
        "**`article` as shipped** (`article-virginica-std-4x3`): at or above 0.9 on 3 of 4" in text
    )
    assert (
        "as the article trains** (`article-virginica-raw-4x3`)" in text and "collapsed on 2" in text
    )
    assert "3 of 8 runs collapsed" in text
    assert "4 seeds (42–45), 100 epochs each, recorded 2026-01-02 in 3 min 05 s on 2" in text
    assert "TensorFlow 2.21.0, Keras 3.15.1" in text and "Machine: Test CPU, 2 cores." in text
    assert "](docs/study/study.png)" in text and "](docs/study/study.csv)" in text


@pytest.mark.parametrize(
    "failures, verdict",
    [
        pytest.param(1, "met.", id="19-of-20-met"),
        pytest.param(2, "**not met**.", id="18-of-20-not-met"),
    ],
)
def test_the_multiclass_verdict_applies_the_criterion(failures, verdict):
    variants = [
        Variant("multiclass", None, True, (4, 3)),
        Variant("multiclass", None, True, (16, 8)),
    ]
    (shipped,) = [variant for variant in variants if variant.is_shipped]
    rows = [
        {
            "variant": variant.name,
            "seed": seed,
            "test_accuracy": 1 / 3 if variant is shipped and seed < 42 + failures else 1.0,
            "collapsed": variant is shipped and seed < 42 + failures,
            "dead_units": 0,
            "epoch_to_0.95": 10,
        }
        for variant in variants
        for seed in range(42, 62)
    ]
    text = summary_markdown(rows, {**METADATA, "seeds": list(range(42, 62))}, variants)
    assert (
        f"**`multiclass` as shipped** (`{shipped.name}`): at or above 0.9 on {20 - failures} "
        f"of 20 seeds, collapsed on {failures}. Criterion (at most 1 seed in 20 below 0.9): "
        f"{verdict}" in text
    )


def test_summary_text_marks_the_shipped_recipe():
    lines = summary_text(summarize(_rows(), VARIANTS)).splitlines()
    assert lines[1].startswith("* article-virginica-std-4x3") and "0.883 ± 0.150" in lines[1]
    assert lines[2].startswith("  article-virginica-raw-4x3")


def test_write_report(tmp_path):
    summary, plot = write_report(tmp_path, _rows(), METADATA, VARIANTS)
    assert summary.read_text().startswith("## Seed study\n\nGenerated by `iris-keras study`")
    assert "](study.png)" in summary.read_text()
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_update_readme_rewrites_only_the_block(tmp_path):
    readme = tmp_path / "README.md"
    before, after = "# Project\n\n<!-- study:start -->\n", "<!-- study:end -->\n\n## Next\n"
    readme.write_text(before + "stale numbers\n" + after)
    readme.chmod(0o644)
    update_readme(readme, tmp_path / "docs" / "study", _rows(), METADATA, VARIANTS)
    text = readme.read_text()
    assert text.startswith(before) and text.endswith(after) and "stale" not in text
    assert "](docs/study/study.png)" in text
    assert readme.stat().st_mode & 0o777 == 0o644
    update_readme(readme, tmp_path / "docs" / "study", _rows(), METADATA, VARIANTS)
    assert readme.read_text() == text


@pytest.mark.parametrize(
    "content, match",
    [
        pytest.param("# No markers\n", "expected a file with the lines", id="no-markers"),
        pytest.param("<!-- study:end -->\n<!-- study:start -->\n", "in that order", id="reversed"),
        pytest.param(None, "expected a readable file", id="missing"),
    ],
)
def test_update_readme_errors(tmp_path, content, match):
    readme = tmp_path / "README.md"
    if content is not None:
        readme.write_text(content)
    with pytest.raises(IrisKerasError, match=match):
        update_readme(readme, tmp_path, _rows(), METADATA, VARIANTS)


def test_the_study_page_and_figure_of_every_variant_are_as_recorded(tmp_path):
    """The whole generated page and plot, for made-up runs of the study's 16 variants."""
    from iris_keras.study.variants import study_variants
    from tests.support.baseline import check_image, check_text

    variants = study_variants()
    rows = [
        {
            "variant": variant.name,
            "seed": seed,
            "test_accuracy": ACCURACY[(30, 29, 27, 20)[(index + seed) % 4]],
            "collapsed": (index + seed) % 4 == 3,
            "dead_units": (index + seed) % 3,
            "epoch_to_0.95": None if (index + seed) % 4 == 3 else 5 + index,
        }
        for index, variant in enumerate(variants[:-1])  # the last one has no run yet
        for seed in (42, 43, 44, 45)
    ]
    metadata = {**METADATA, "variants": [variant.name for variant in variants]}
    every_library = {
        "python": "3.11.7",
        "jax": "0.10.2",
        "torch": "2.13.0",
        "keras": "3.15.1",
        "numpy": "2.3.5",
        "scikit-learn": "1.7.2",
        "tensorflow": "2.21.0",
    }
    metadata["sessions"] = [
        {**METADATA["sessions"][0], "runs": 40},
        {
            **METADATA["sessions"][0],
            "runs": 20,
            "machine": "CPU: Other CPU, 16 cores",
            "versions": every_library,
        },
    ]
    summary, plot = write_report(tmp_path, rows, metadata, variants)
    check_text("study-summary.md", summary.read_text(encoding="utf-8"))
    check_image("study-plot.png", plot)
