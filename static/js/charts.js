// Draw each chart whose figure the page carries as JSON (json_script): no inline script needed.
(function () {
  "use strict";

  // On a phone, treatment names beside the lanes would take a third of the width from every
  // chart: write them inside the lanes instead, over the left end of each row.
  function labelLanesInside(layout) {
    var lanes = layout.yaxis;
    if (!lanes || lanes.type !== "category" || !lanes.categoryarray) return;
    lanes.showticklabels = false;
    layout.annotations = (layout.annotations || []).concat(
      lanes.categoryarray.map(function (name, index) {
        return {
          text: name,
          xref: "x domain",
          x: 0,
          xanchor: "left",
          yref: "y",
          y: index,
          yanchor: "middle",
          showarrow: false,
          font: { size: 10, color: "#24323d" },
          bgcolor: "rgba(255, 255, 255, 0.85)",
          borderpad: 1,
        };
      })
    );
  }

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
      labelLanesInside(layout);
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
