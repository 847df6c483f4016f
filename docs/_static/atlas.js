/* The atlas page (docs/atlas.md): draws the committed summary of the sweep with
   plotly.js, offline. tools/book/atlas_page.py writes the data (window.IRIS_ATLAS)
   and the controls; this script reads the controls, draws four charts and keeps a
   text summary and each chart's text alternative (aria-label) up to date. */
(() => {
  "use strict";
  const DATA = window.IRIS_ATLAS;
  const BLUE = "#2f6fb0";
  const ORANGE = "#c4570c";
  const CURVE_NAMES = { accuracy: "training", val_accuracy: "validation", loss: "training", val_loss: "validation" };

  function half(bits) {
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    const sign = bits & 0x8000 ? -1 : 1;
    if (exponent === 0) return sign * Math.pow(2, -14) * (fraction / 1024);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * Math.pow(2, exponent - 15) * (1 + fraction / 1024);
  }

  function decode(packed) {
    const text = atob(packed.base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    let values = bytes;
    if (packed.dtype === "float16") {
      const view = new DataView(bytes.buffer);
      values = new Float64Array(bytes.length / 2);
      for (let i = 0; i < values.length; i++) values[i] = half(view.getUint16(2 * i, true));
    }
    return { shape: packed.shape, values: values };
  }

  const ARRAYS = {};
  for (const name of Object.keys(DATA.curves)) ARRAYS[name] = decode(DATA.curves[name]);
  for (const name of ["test_correct", "median", "diverged", "collapsed"]) ARRAYS[name] = decode(DATA[name]);

  // The values under `index` (one index per leading axis), flattened in order.
  function row(array, index) {
    const size = array.shape.slice(index.length).reduce((a, b) => a * b, 1);
    let offset = 0;
    index.forEach((position, axis) => { offset = offset * array.shape[axis] + position; });
    return Array.from(array.values.slice(offset * size, (offset + 1) * size));
  }

  function finite(values) {
    return values.map((value) => (Number.isFinite(value) ? value : null));
  }

  function chosen() {
    const pick = (id) => Number(document.getElementById(id).value);
    return {
      point: [pick("atlas-recipe"), pick("atlas-learning-rate"), pick("atlas-momentum"), pick("atlas-batch-size")],
      choice: pick("atlas-epochs"),
    };
  }

  function theme() {
    const text = getComputedStyle(document.body).color;
    return {
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: text, family: getComputedStyle(document.body).fontFamily, size: 13 },
      margin: { l: 60, r: 20, t: 20, b: 90 },
      height: 360,
      legend: { orientation: "h", y: -0.4 },
      text: text,
    };
  }

  function axis(title, extra) {
    return Object.assign({ title: { text: title }, gridcolor: "rgba(128,128,128,0.35)", zeroline: false }, extra || {});
  }

  function bandTraces(name, point, colour) {
    const epochs = Array.from({ length: DATA.epochs }, (_, i) => i + 1);
    const [low, high, median] = ["low", "high", "median"].map((s) => finite(row(ARRAYS[`${name}_${s}`], point)));
    const label = CURVE_NAMES[name];
    return [
      { x: epochs, y: low, mode: "lines", line: { width: 0, color: colour }, showlegend: false, name: `${label} lowest` },
      { x: epochs, y: high, mode: "lines", line: { width: 0, color: colour }, fill: "tonexty", fillcolor: colour + "40", name: `${label}: band of the seeds` },
      { x: epochs, y: median, mode: "lines", line: { width: 2.5, color: colour }, name: `${label}: median seed` },
    ];
  }

  function describeCurves(kind, point, epochs) {
    const parts = [kind, `val_${kind}`].map((name) => {
      const at = (s) => row(ARRAYS[`${name}_${s}`], point)[epochs - 1];
      const show = (value) => (Number.isFinite(value) ? value.toFixed(3) : "none");
      return `${CURVE_NAMES[name]} ${kind} after ${epochs} epochs: median ${show(at("median"))}, seeds from ${show(at("low"))} to ${show(at("high"))}`;
    });
    return `${kind[0].toUpperCase()}${kind.slice(1)} per epoch. ${parts.join("; ")}.`;
  }

  function drawCurves(kind, point, epochs, look) {
    const traces = [...bandTraces(kind, point, BLUE), ...bandTraces(`val_${kind}`, point, ORANGE)];
    const line = { type: "line", x0: epochs, x1: epochs, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: look.text, width: 1.5 } };
    const layout = Object.assign({}, look, {
      xaxis: axis("epoch"), yaxis: axis(kind, kind === "loss" ? { type: "log", dtick: 1 } : { range: [0, 1.02] }), shapes: [line],
    });
    const chart = document.getElementById(`atlas-${kind}`);
    Plotly.react(chart, traces, layout, { staticPlot: true, responsive: true });
    chart.setAttribute("aria-label", describeCurves(kind, point, epochs));
  }

  function seedsAt(point, choice) {
    const seeds = DATA.seeds.length;
    const all = row(ARRAYS.test_correct, [...point]);  // seeds x choices, flattened
    return Array.from({ length: seeds }, (_, s) => all[s * DATA.epoch_choices.length + choice]);
  }

  function drawSpread(point, choice, look) {
    const right = seedsAt(point, choice).filter((count) => count !== 255);
    const counts = new Map();
    right.forEach((count) => counts.set(count, (counts.get(count) || 0) + 1));
    const scores = [...counts.keys()].sort((a, b) => a - b);
    const trace = { type: "bar", x: scores.map((k) => k / 30), y: scores.map((k) => counts.get(k)), width: 0.025, marker: { color: BLUE }, name: "seeds" };
    const layout = Object.assign({}, look, { xaxis: axis("test accuracy", { range: [0, 1.04] }), yaxis: axis("seeds"), showlegend: false });
    const chart = document.getElementById("atlas-spread");
    Plotly.react(chart, [trace], layout, { staticPlot: true, responsive: true });
    const listed = scores.slice().reverse().map((k) => `${counts.get(k)} at ${(k / 30).toFixed(3)}`).join(", ");
    const epochs = DATA.epoch_choices[choice];
    chart.setAttribute("aria-label", `Test accuracy of the ${DATA.seeds.length} seeds after ${epochs} epochs: ${listed || "no seed scored"}.`);
  }

  function mapValues(point, choice) {
    const [recipe, , , batch] = point;
    return DATA.momenta.map((_, m) => DATA.learning_rates.map((_, l) => {
      const value = row(ARRAYS.median, [recipe, l, m, batch])[choice];
      return Number.isFinite(value) ? value : null;
    }));
  }

  function drawMap(point, choice, look) {
    const z = mapValues(point, choice);
    const x = DATA.learning_rates.map(String);
    const y = DATA.momenta.map(String);
    const heat = { type: "heatmap", x: x, y: y, z: z, zmin: 0.3, zmax: 1, colorscale: "Viridis", texttemplate: "%{z:.2f}", colorbar: { title: { text: "median" } } };
    const article = DATA.article;
    const marks = {
      type: "scatter", mode: "markers+text", x: [String(article.learning_rate), x[point[1]]], y: [String(article.momentum), y[point[2]]],
      marker: { symbol: ["square-open", "circle-open"], size: [46, 30], line: { width: 3 }, color: ["#ffffff", "#ff4f9a"] },
      text: ["article", ""], textposition: "top center", textfont: { color: "#ffffff" }, showlegend: false,
    };
    const layout = Object.assign({}, look, { height: 380, xaxis: axis("learning rate", { type: "category" }), yaxis: axis("momentum", { type: "category" }) });
    const chart = document.getElementById("atlas-map");
    Plotly.react(chart, [heat, marks], layout, { staticPlot: true, responsive: true });
    chart.setAttribute("aria-label", describeMap(z, point, choice));
  }

  function describeMap(z, point, choice) {
    let best = { value: -1 };
    z.forEach((values, m) => values.forEach((value, l) => { if (value !== null && value > best.value) best = { value: value, l: l, m: m }; }));
    const article = z[DATA.momenta.indexOf(DATA.article.momentum)][DATA.learning_rates.indexOf(DATA.article.learning_rate)];
    const low = z.flat().filter((value) => value !== null && value < 0.8).length;
    return `Median test accuracy by learning rate and momentum, batch size ${DATA.batch_sizes[point[3]]}, ` +
      `${DATA.epoch_choices[choice]} epochs: highest ${best.value.toFixed(3)} (learning rate ${DATA.learning_rates[best.l]}, ` +
      `momentum ${DATA.momenta[best.m]}); the article's choice (0.01, 0.9) ${article === null ? "none" : article.toFixed(3)}; ` +
      `${low} of ${z.flat().length} settings below 0.8.`;
  }

  function summarize(point, choice) {
    const right = seedsAt(point, choice).filter((count) => count !== 255).map((k) => k / 30).sort((a, b) => a - b);
    const index = [...point, choice];
    const share = (name) => row(ARRAYS[name], point)[choice];
    const seeds = DATA.seeds.length;
    const median = row(ARRAYS.median, point)[choice];
    const runs = (name) => `${Math.round(share(name) * seeds)} of ${seeds} (${Math.round(share(name) * 100)}%)`;
    const spread = right.length ? `, seeds from ${right[0].toFixed(3)} to ${right[right.length - 1].toFixed(3)}` : "";
    document.getElementById("atlas-summary").textContent =
      `${DATA.recipes[index[0]]} recipe, learning rate ${DATA.learning_rates[index[1]]}, momentum ${DATA.momenta[index[2]]}, ` +
      `batch size ${DATA.batch_sizes[index[3]]}, ${DATA.epoch_choices[choice]} epochs: median test accuracy ` +
      `${Number.isFinite(median) ? median.toFixed(3) : "none"} over ${right.length} scored seeds${spread}; ` +
      `diverged ${runs("diverged")}, collapsed to one class ${runs("collapsed")}.`;
  }

  function draw() {
    const { point, choice } = chosen();
    const look = theme();
    const epochs = DATA.epoch_choices[choice];
    drawCurves("accuracy", point, epochs, look);
    drawCurves("loss", point, epochs, look);
    drawSpread(point, choice, look);
    drawMap(point, choice, look);
    summarize(point, choice);
  }

  document.getElementById("atlas-explorer").addEventListener("change", draw);
  // The theme's light/dark switch: redraw in the new text colour.
  new MutationObserver(draw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  draw();
})();
