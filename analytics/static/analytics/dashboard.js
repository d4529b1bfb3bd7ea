/* Draws each dashboard table's chart with Plotly (loaded just before, deferred). The figure
   (data and layout) is built on the server from the table (analytics/charts/figures.py) and
   carried in <script type="application/json">; this file only hands it to Plotly. Without
   Plotly or JavaScript nothing changes: the tables below stay open and hold the same numbers
   and links. With a chart drawn, its table folds into a <details> and a click on a bar or a
   heat-map cell follows that row's drill-down link (the trace's customdata). */
(function () {
  "use strict";

  var CONFIG = { displayModeBar: false, responsive: true, locale: document.documentElement.lang || "th" };

  function draw(box) {
    var data = document.getElementById(box.getAttribute("data-chart"));
    if (!data) { return; }
    var figure = JSON.parse(data.textContent);
    box.hidden = false;
    window.Plotly.newPlot(box, figure.data, figure.layout, CONFIG).then(function () {
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
