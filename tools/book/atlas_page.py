"""The book's atlas page: the sweep's summary, explored offline with Plotly.

`docs/atlas.md` holds the prose and one `{atlas-explorer}` directive. At
build time this extension turns the committed summary of the atlas
(`docs/atlas/summary.npz`, `make docs-atlas`) into what the page draws:

- the directive writes the page's controls (recipe, learning rate,
  momentum, batch size, epochs: labelled `<select>`s, the article's choice
  selected), four chart areas with their captions and a text summary that
  the page's script keeps up to date;
- when the build ends, `_static/atlas/atlas-data.js` (`page_data`: the axes,
  the median and band of four learning curves at every epoch, every seed's
  right test answers and the failures at a few epoch counts, the median map)
  and `_static/atlas/plotly.min.js`, the plotly.js that the pinned `plotly`
  package ships, are written into the book; `docs/_static/atlas.js` draws.

Nothing is fetched: the page reads offline from `file://` as over HTTP
(`tests/browser/test_atlas_page.py`). Arrays travel as base64 (float16 and
uint8 as the summary keeps them): about 2 MB of data for the page.
"""

import base64
import html
import json
import shutil
from importlib import resources
from pathlib import Path

import numpy as np
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from iris_keras.study.atlas import read_summary
from iris_keras.study.atlas_lookup import failure_shares, median_test_accuracy

PAGE = "atlas"  # docs/atlas.md
SUMMARY = "atlas/summary.npz"  # in the book's source folder
CURVES = ("accuracy", "val_accuracy", "loss", "val_loss")
EPOCH_CHOICES = (10, 20, 50, 100, 150, 200)
# The article's choice (§4.3: SGD(learning_rate=0.01, momentum=0.9), batches of 32,
# 100 epochs), selected when the page opens and marked on the map.
ARTICLE = {"recipe": "article", "learning_rate": 0.01, "momentum": 0.9, "batch_size": 32}
ARTICLE_EPOCHS = 100
SCRIPTS = ("atlas/plotly.min.js", "atlas/atlas-data.js", "atlas.js")


def packed(values):
    """An array as `{"dtype", "shape", "base64"}`, its bytes little-endian.

    Example:
    >>> packed(np.array([[1, 2]], dtype=np.uint8))
    {'dtype': 'uint8', 'shape': [1, 2], 'base64': 'AQI='}
    """
    values = np.ascontiguousarray(values)
    values = values.astype(values.dtype.newbyteorder("<"))
    encoded = base64.b64encode(values.tobytes()).decode("ascii")
    return {"dtype": str(values.dtype.name), "shape": list(values.shape), "base64": encoded}


def page_axes(summary):
    """The axes the page's controls offer, the epochs it draws, and the article's choice."""
    axes = {
        name: summary[name].tolist()
        for name in ("recipes", "learning_rates", "momenta", "batch_sizes", "seeds")
    }
    last = int(summary["epochs"][-1])
    axes["epoch_choices"] = [epochs for epochs in EPOCH_CHOICES if epochs <= last]
    return {**axes, "epochs": last, "article": {**ARTICLE, "epochs": ARTICLE_EPOCHS}}


def page_data(summary, metadata):
    """What the page draws, JSON-able: `(name -> packed array or list)`.

    Args:
        summary: the atlas summary (`read_summary`).
        metadata: what the summary records of its atlas (backend, date, machine).

    Returns:
        A dict: the axes (`recipes`, `learning_rates`, `momenta`,
        `batch_sizes`, `seeds`, `epochs`: the last epoch), `epoch_choices`,
        `article`, `metadata`; `curves` (`<curve>_<median|low|high>`, float16
        over recipe x learning rate x momentum x batch size x epoch);
        `test_correct` (uint8, the same axes x seed x epoch choice),
        `median` (float16), `diverged` and `collapsed` (shares, float16) at
        each epoch choice.
    """
    data = {**page_axes(summary), "metadata": metadata}
    choices = data["epoch_choices"]
    at = np.array(choices) - 1
    shares = [failure_shares(summary, epochs=epochs) for epochs in choices]
    data["curves"] = {
        f"{curve}_{statistic}": packed(summary[f"{curve}_{statistic}"])
        for curve in CURVES
        for statistic in ("median", "low", "high")
    }
    data["test_correct"] = packed(summary["test_correct"][..., at])
    medians = [median_test_accuracy(summary, epochs=epochs) for epochs in choices]
    data["median"] = packed(np.stack(medians, axis=-1).astype(np.float16))
    for name in ("diverged", "collapsed"):
        data[name] = packed(np.stack([share[name] for share in shares], -1).astype(np.float16))
    return data


def write_assets(outdir, summary_path):
    """Writes `_static/atlas/atlas-data.js` and plotly.js into the built book `outdir`."""
    folder = Path(outdir) / "_static" / "atlas"
    folder.mkdir(parents=True, exist_ok=True)
    data = page_data(*read_summary(summary_path))
    script = f"window.IRIS_ATLAS = {json.dumps(data, separators=(',', ':'))};\n"
    (folder / "atlas-data.js").write_text(script, encoding="utf-8")
    plotly = resources.files("plotly") / "package_data" / "plotly.min.js"
    with resources.as_file(plotly) as path:
        shutil.copyfile(path, folder / "plotly.min.js")


# Each control: its id, Chinese and English label, its axis and the article's field.
CONTROLS = (
    ("recipe", "配方", "Recipe", "recipes", "recipe"),
    ("learning-rate", "学习率", "Learning rate", "learning_rates", "learning_rate"),
    ("momentum", "动量", "Momentum", "momenta", "momentum"),
    ("batch-size", "批量大小", "Batch size", "batch_sizes", "batch_size"),
    ("epochs", "训练轮数", "Epochs", "epoch_choices", "epochs"),
)
# Each chart: its id, Chinese and English caption, in the order the page shows them.
CHARTS = (
    ("accuracy", "准确率曲线", "Accuracy per epoch: the median seed and the band of all seeds"),
    ("loss", "损失曲线", "Loss per epoch: the median seed and the band of all seeds"),
    ("spread", "测试准确率分布", "Test accuracy of every seed, and the runs that failed"),
    ("map", "准确率地图", "Median test accuracy by learning rate and momentum"),
)


def bilingual(chinese, english):
    """`中文 · English`, the Chinese marked `lang="zh-Hans"` (raw HTML is not marked for us).

    Example:
    >>> bilingual("动量", "Momentum")
    '<span lang="zh-Hans">动量</span> · Momentum'
    """
    return f'<span lang="zh-Hans">{html.escape(chinese)}</span> · {html.escape(english)}'


def control_html(axes, key, chinese, english, axis, field):
    """One labelled `<select>`, its options the axis's values, the article's choice selected."""
    wanted = {**ARTICLE, "epochs": ARTICLE_EPOCHS}[field]
    options = "".join(
        f'<option value="{index}"{" selected" if value == wanted else ""}>{value}</option>'
        for index, value in enumerate(axes[axis])
    )
    return (
        f'<div class="atlas-control"><label for="atlas-{key}">{bilingual(chinese, english)}'
        f'</label><select id="atlas-{key}" name="{key}">{options}</select></div>'
    )


def explorer_html(axes):
    """The page's controls, its text summary and its four chart areas, as HTML.

    Args:
        axes: `page_axes(summary)`.
    """
    controls = "".join(control_html(axes, *control) for control in CONTROLS)
    charts = "".join(
        f'<figure class="atlas-figure"><figcaption id="atlas-{key}-caption">'
        f"{bilingual(chinese, english)}</figcaption>"
        f'<div id="atlas-{key}" class="atlas-chart" role="img" '
        f'aria-label="{html.escape(english)}"></div></figure>'
        for key, chinese, english in CHARTS
    )
    return (
        '<form id="atlas-explorer" class="atlas-controls" '
        f'aria-label="Atlas settings">{controls}</form>'
        '<p id="atlas-summary" class="atlas-summary" aria-live="polite"></p>'
        f'<div class="atlas-charts">{charts}</div>'
    )


class AtlasExplorer(SphinxDirective):
    """`{atlas-explorer}`: the page's controls and chart areas, from the committed summary."""

    def run(self):
        path = Path(self.env.srcdir) / SUMMARY
        self.env.note_dependency(str(path))
        summary, _ = read_summary(path)
        return [nodes.raw("", explorer_html(page_axes(summary)), format="html")]


def add_scripts(app, pagename, templatename, context, doctree):
    """plotly.js, the data and the page's script, on the atlas page only."""
    if pagename == PAGE:
        for script in SCRIPTS:
            app.add_js_file(script, defer="defer")


def write_book_assets(app, exception):
    """At the end of an HTML build: the page's data and plotly.js into `_static/atlas/`."""
    if exception is None and app.builder.format == "html":
        write_assets(app.outdir, Path(app.srcdir) / SUMMARY)


def setup(app):
    """Registers the directive, the page's scripts and the assets written at the end."""
    app.add_directive("atlas-explorer", AtlasExplorer)
    app.connect("html-page-context", add_scripts)
    app.connect("build-finished", write_book_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
