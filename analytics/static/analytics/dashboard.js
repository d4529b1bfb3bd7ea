/* Draws each dashboard table's chart with Plotly (loaded just before, deferred), from the
   numbers the page carries in <script type="application/json">. Without Plotly or
   JavaScript nothing changes: the tables below stay open and hold the same numbers and
   links. With a chart drawn, its table folds into a <details> and a click on a bar or a
   heat-map cell follows that row's drill-down link. */
(function () {
  "use strict";

  // Okabe–Ito: told apart with the common colour-vision deficiencies.
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  var FONT = { family: "Sarabun, Tahoma, system-ui, sans-serif", size: 14, color: "#1c1f24" };
  var CONFIG = { displayModeBar: false, responsive: true, locale: document.documentElement.lang || "th" };

  function layout(extra) {
    var base = {
      font: FONT,
      margin: { l: 16, r: 16, t: 36, b: 16 },
      legend: { orientation: "h", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom" },
      paper_bgcolor: "#ffffff",
      plot_bgcolor: "#ffffff",
      hoverlabel: { font: FONT },
    };
    return Object.assign(base, extra);
  }

  function wrap(text, width) {
    // Plotly does not wrap axis labels; long Thai unit names are broken at spaces.
    var words = String(text).split(" "), lines = [], line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    lines.push(line);
    return lines.join("<br>");
  }

  function countAxis(values, title) {
    // Whole numbers: small counts get a tick per unit rather than 0.5 steps.
    var top = Math.max.apply(null, values.filter(function (v) { return v !== null; }).concat([0]));
    var axis = {
      title: { text: title }, rangemode: "tozero", automargin: true, tickmode: "auto", tickformat: ",~r",
      gridcolor: "#e3e7ed", zerolinecolor: "#9aa3af",
    };
    if (top <= 8) { axis.dtick = 1; }
    return axis;
  }

  function bars(spec) {
    var horizontal = spec.horizontal;
    var labels = spec.categories.map(function (label) { return wrap(label, horizontal ? 28 : 18); });
    var traces = spec.series.map(function (series, index) {
      var trace = {
        type: "bar",
        name: series.name,
        marker: { color: COLOURS[index % COLOURS.length] },
        customdata: spec.links && spec.links.length ? spec.links : null,
        hovertext: spec.names || null,
        hovertemplate: (spec.names ? "%{hovertext}" : "%{" + (horizontal ? "y" : "x") + "}") + "<br>" + series.name + ": %{" + (horizontal ? "x" : "y") + "}<extra></extra>",
      };
      trace[horizontal ? "y" : "x"] = labels;
      trace[horizontal ? "x" : "y"] = series.values;
      if (horizontal) { trace.orientation = "h"; }
      return trace;
    });
    var all = [].concat.apply([], spec.series.map(function (series) { return series.values; }));
    var valueAxis = countAxis(all, spec.axis);
    if (spec.percent) { valueAxis.range = [0, 100]; delete valueAxis.dtick; valueAxis.ticksuffix = "%"; }
    var categoryAxis = { automargin: true, type: "category", dtick: 1 };
    if (horizontal) { categoryAxis.autorange = "reversed"; }
    var height = horizontal ? Math.max(240, 110 + spec.categories.length * spec.series.length * 22) : 400;
    return {
      traces: traces,
      layout: layout({
        barmode: "group",
        height: height,
        xaxis: horizontal ? valueAxis : categoryAxis,
        yaxis: horizontal ? categoryAxis : valueAxis,
      }),
    };
  }

  function heatmap(spec) {
    var links = spec.z.map(function (row, index) {
      return row.map(function () { return spec.links[index] || ""; });
    });
    return {
      traces: [{
        type: "heatmap",
        x: spec.x,
        y: spec.y.map(function (label) { return wrap(label, 28); }),
        z: spec.z,
        hovertext: spec.z.map(function (row) {
          return row.map(function (value, column) { return spec.names[column]; });
        }),
        zmin: 0,
        zmax: 100,
        colorscale: "Cividis",
        customdata: links,
        text: spec.z.map(function (row) {
          return row.map(function (value) { return value === null ? "" : Math.round(value) + "%"; });
        }),
        texttemplate: "%{text}",
        hovertemplate: "%{y}<br>%{hovertext}: %{z:.1f}%<extra></extra>",
        colorbar: { title: { text: spec.axis, side: "right" }, ticksuffix: "%" },
        xgap: 2,
        ygap: 2,
      }],
      layout: layout({
        height: Math.max(260, 140 + spec.y.length * 44),
        xaxis: { automargin: true, side: "top", type: "category", tickangle: -45, dtick: 1 },
        // Every row labelled: Plotly would otherwise skip labels it thinks crowded.
        yaxis: { automargin: true, autorange: "reversed", type: "category", dtick: 1 },
        margin: { l: 16, r: 16, t: 16, b: 16 },
      }),
    };
  }

  function trend(spec) {
    return {
      traces: [
        { type: "bar", name: spec.series[0].name, x: spec.categories, y: spec.series[0].values, marker: { color: COLOURS[0] } },
        {
          type: "scatter", mode: "lines+markers", name: spec.series[1].name, x: spec.categories,
          y: spec.series[1].values, yaxis: "y2", line: { color: COLOURS[5], width: 3, dash: "dot" },
          marker: { symbol: "diamond", size: 8 },
        },
      ],
      layout: layout({
        height: 360,
        xaxis: { type: "category" },
        yaxis: countAxis(spec.series[0].values, spec.series[0].name),
        yaxis2: Object.assign(countAxis(spec.series[1].values, ""), {
          overlaying: "y", side: "right", showgrid: false, tickfont: { color: COLOURS[5] },
        }),
      }),
    };
  }

  var BUILDERS = { bars: bars, heatmap: heatmap, trend: trend };

  function draw(box) {
    var data = document.getElementById(box.getAttribute("data-chart"));
    if (!data) { return; }
    var spec = JSON.parse(data.textContent);
    var build = BUILDERS[spec.type];
    if (!build) { return; }
    var figure = build(spec);
    box.hidden = false;
    window.Plotly.newPlot(box, figure.traces, figure.layout, CONFIG).then(function () {
      var details = box.parentNode.querySelector("details.chart-table");
      if (details) { details.open = false; }
      box.on("plotly_click", function (event) {
        var link = event.points && event.points[0] && event.points[0].customdata;
        if (link) { window.location.href = link; }
      });
      box.setAttribute("data-drawn", "true");
    });
  }

  if (!window.Plotly) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
})();
