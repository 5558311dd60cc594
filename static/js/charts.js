// Draw each chart whose figure the page carries as JSON (json_script): no inline script needed.
(function () {
  "use strict";
  if (!window.Plotly) return;
  var narrow = window.matchMedia("(max-width: 575.98px)").matches;
  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source) return;
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    if (narrow) {
      layout.margin = Object.assign({}, layout.margin, { l: 56, r: 6 });
      layout.font = Object.assign({}, layout.font, { size: 11 });
    }
    Plotly.newPlot(el, figure.data || [], layout, {
      displayModeBar: false,
      responsive: true,
      scrollZoom: false,
      doubleClick: false,
    }).then(function () {
      el.classList.add("chart-ready");
    });
  });
})();
