// Draws the required and current level of each competency as horizontal bars, from the table
// that holds the same figures (the table is the source of truth; without JavaScript it is all
// there is). Loaded with `defer` after Plotly, so the page is parsed when this runs.
// Plotly reads text as markup (<b>, <a href>, <br>, entities); competency names are data, so
// every label passes through plotlyText and shows exactly as typed (as analytics.charts.figures
// does for the dashboards).
(function () {
  "use strict";
  const plotlyText = (text) =>
    String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const chart = document.getElementById("competency-chart");
  if (!chart || !window.Plotly) {
    return;
  }
  const table = document.getElementById(chart.dataset.table);
  const rows = Array.from(table.querySelectorAll("tbody tr[data-required]"));
  if (!rows.length) {
    return;
  }
  const style = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  const labels = rows.map((row) => plotlyText(row.dataset.label));
  const levels = (key) => rows.map((row) => Number(row.dataset[key]));
  const top = Number(table.dataset.topLevel) || Math.max(...levels("required"), ...levels("current"), 1);
  chart.hidden = false;
  chart.style.height = `${Math.max(12, rows.length * 3 + 6)}rem`;
  window.Plotly.newPlot(
    chart,
    [
      {
        type: "bar",
        orientation: "h",
        name: plotlyText(table.dataset.labelRequired),
        y: labels,
        x: levels("required"),
        marker: { color: colour("--muted", "#6b7280") },
        hovertemplate: "%{y}: %{x}<extra>%{fullData.name}</extra>",
      },
      {
        type: "bar",
        orientation: "h",
        name: plotlyText(table.dataset.labelCurrent),
        y: labels,
        x: levels("current"),
        marker: { color: colour("--brand", "#1d4ed8") },
        hovertemplate: "%{y}: %{x}<extra>%{fullData.name}</extra>",
      },
    ],
    {
      barmode: "group",
      font: { family: getComputedStyle(document.body).fontFamily, color: colour("--text", "#1c1f24") },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      margin: { l: 10, r: 10, t: 30, b: 40 },
      legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom" },
      xaxis: { title: { text: plotlyText(table.dataset.labelAxis) }, range: [0, top], dtick: 1, fixedrange: true },
      yaxis: { autorange: "reversed", automargin: true, fixedrange: true },
    },
    { displayModeBar: false, responsive: true },
  );
})();
