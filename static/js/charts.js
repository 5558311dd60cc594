// Draw each chart whose figure the page carries as JSON (json_script): no inline script needed.
(function () {
  "use strict";

  // On a phone, treatment and sign names beside the lanes would take a third of the width from every
  // chart: write them inside the lanes instead, over the left end of each row. Every lane row is a
  // category axis: the treatments on top, the signs strip below the measures.
  function labelLanesInside(layout) {
    Object.keys(layout)
      .filter(function (key) { return /^yaxis\d*$/.test(key); })
      .forEach(function (key) { labelAxisInside(layout, key); });
  }

  function labelAxisInside(layout, key) {
    var lanes = layout[key];
    if (!lanes || lanes.type !== "category" || !lanes.categoryarray) return;
    lanes.showticklabels = false;
    layout.annotations = (layout.annotations || []).concat(
      lanes.categoryarray.map(function (name, index) {
        return {
          text: name,
          xref: "x domain",
          x: 0,
          xanchor: "left",
          yref: "y" + key.slice(5),
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

  // A chart's size on paper, from its stylesheet (print.css): "--print-width" and "--print-height"
  // in px, or null if the page has none (then the chart prints as drawn).
  function printSize(el) {
    var style = window.getComputedStyle(el);
    var width = parseFloat(style.getPropertyValue("--print-width"));
    var height = parseFloat(style.getPropertyValue("--print-height"));
    return width > 0 ? { width: width, height: height > 0 ? height : null } : null;
  }

  // On paper each lane (treatments on top, signs below the measures) keeps LANE_PX (room for its
  // name), and the measures share the rest: each at least as tall as the treatment lanes together and
  // at least MIN_MEASURE_PX, the chart growing if need be. Each measure's name is written across, in
  // the left margin, since upright it would be taller than its panel.
  var MIN_MEASURE_PX = 60;
  var LANE_PX = 12;
  function fitRowsForPaper(layout, height) {
    // Paper is short: little room above the plot, and just the dates' two lines below it.
    var margin = Object.assign({}, layout.margin, { t: 6, b: 30 });
    var plot = height - margin.t - margin.b;
    var gap = 6;
    var names = Object.keys(layout)
      .filter(function (key) { return /^yaxis\d*$/.test(key) && layout[key].domain; })
      .sort(function (a, b) { return (parseInt(a.slice(5), 10) || 1) - (parseInt(b.slice(5), 10) || 1); });
    var lanePx = function (axis) {
      return axis.type === "category" && axis.categoryarray ? Math.max(LANE_PX * axis.categoryarray.length, 30) : 0;
    };
    var fixed = names.reduce(function (sum, name) { return sum + lanePx(layout[name]); }, 0);
    var flexible = names.filter(function (name) { return !lanePx(layout[name]); }).length;
    var treatments = lanePx(layout[names[0]]);  // the top row, when the chart has treatments
    var each = (plot - fixed - gap * (names.length - 1)) / Math.max(flexible, 1);
    var least = Math.max(MIN_MEASURE_PX, treatments);
    if (each < least) {
      // Many lanes: the chart grows on paper rather than squeeze the measures under the lanes' height.
      each = least;
      plot = fixed + gap * (names.length - 1) + each * flexible;
      layout.height = plot + margin.t + margin.b;
    }
    var top = plot;
    var titles = [];
    names.forEach(function (name) {
      var axis = layout[name];
      var px = lanePx(axis) || each;
      axis.domain = [Math.max(top - px, 0) / plot, top / plot];
      top -= px + gap;
      if (axis.type === "category") {
        axis.dtick = 1;
        axis.tickfont = Object.assign({}, axis.tickfont, { size: 10 });  // fits a 12 px lane
      }
      var title = axis.title && (axis.title.text || axis.title);
      if (typeof title === "string" && title) {
        axis.title = { text: "" };
        titles.push({
          text: title,
          xref: "paper",
          x: 0,
          xanchor: "right",
          xshift: -26,
          yref: "y" + name.slice(5) + " domain",
          y: 0.5,
          yanchor: "middle",
          align: "right",
          showarrow: false,
        });
      }
    });
    layout.margin = Object.assign({}, margin, { l: 112 });
    layout.annotations = (layout.annotations || []).concat(titles);
  }

  var narrow = window.matchMedia("(max-width: 575.98px)").matches;
  var config = { displayModeBar: false, responsive: true, scrollZoom: false, doubleClick: false };
  var charts = [];
  var printing = false;  // drawn for paper now (see redraw below)
  var plotlyFiles = (document.currentScript || {}).dataset || {};

  // A fresh layout each time (plotly keeps and changes the object it is given).
  function layoutFor(chart, forPrint) {
    var figure = JSON.parse(chart.source.textContent);
    var layout = figure.layout || {};
    if (forPrint) {
      // Redrawn at the width of the printed page, whatever the window's width, so that no day is cut
      // off at the right edge; treatment names beside their lanes, as on a wide screen.
      layout.width = chart.print.width;
      if (chart.print.height) {
        layout.height = chart.print.height;
        fitRowsForPaper(layout, layout.height);
      }
    } else if (narrow) {
      layout.margin = Object.assign({}, layout.margin, { l: 56, r: 6 });
      layout.font = Object.assign({}, layout.font, { size: 11 });
      labelLanesInside(layout);
    }
    return layout;
  }

  // The box keeps the figure's height: with "responsive", plotly sizes a redraw after a window resize
  // (a phone turned) from its box, which otherwise shrinks to the CSS minimum and squashes the chart
  // (or leaves it spilling over the next section).
  function plot(chart, layout) {
    if (layout.height) chart.el.style.height = layout.height + "px";
    return Plotly.newPlot(chart.el, chart.data, layout, config);
  }

  function draw(chart) {
    chart.drawn = true;
    if (chart.waiting) chart.waiting.remove();
    plot(chart, layoutFor(chart, Boolean(printing && chart.print))).then(function () {
      chart.el.classList.add("chart-ready");
    });
  }

  // plotly.js is a third of a megabyte and takes a phone half a second to run, and drawing takes as
  // long again: a page that does not load it eagerly (the report does, for printing) names it on this
  // script's tag (data-plotly-src, data-plotly-css) and gets it only when a chart comes near the
  // screen. The cards and the chart in words are plain HTML above and below, readable long before.
  var loading = null;
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        // Its stylesheet first, with the id and class that tell plotly.js not to inject a <style>
        // (which the CSP would refuse).
        if (!document.getElementById("plotly.js-style-global") && plotlyFiles.plotlyCss) {
          var link = document.createElement("link");
          link.rel = "stylesheet";
          link.id = "plotly.js-style-global";
          link.className = "no-inline-styles";
          link.href = plotlyFiles.plotlyCss;
          document.head.appendChild(link);
        }
        var script = document.createElement("script");
        script.src = plotlyFiles.plotlySrc;
        script.onload = resolve;
        script.onerror = reject;
        document.body.appendChild(script);
      });
    }
    return loading;
  }

  // Drawn in a task of its own, after plotly.js has run in its own (each is a long one on a phone).
  function drawSoon(chart) {
    if (chart.drawn || chart.pending) return;
    chart.pending = true;
    loadPlotly().then(function () {
      window.setTimeout(function () { draw(chart); }, 0);
    }, function () {
      if (chart.waiting) chart.waiting.textContent = "The chart could not be loaded; its figures are in words below.";
      // Tried again a little later, once the chart is on the screen again (a connection may come back).
      loading = null;
      chart.pending = false;
      if (watcher) window.setTimeout(function () { watcher.observe(chart.el); }, 5000);
    });
  }

  var watcher = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      watcher.unobserve(entry.target);
      charts.forEach(function (chart) { if (chart.el === entry.target) drawSoon(chart); });
    });
  }, { rootMargin: "300px 0px" }) : null;

  document.querySelectorAll("[data-figure]").forEach(function (el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source) return;
    var figure = JSON.parse(source.textContent);
    var chart = { el: el, source: source, data: figure.data || [], print: printSize(el) };
    charts.push(chart);
    if (window.Plotly) {
      draw(chart);
      return;
    }
    if (!plotlyFiles.plotlySrc) return;
    // Its room kept meanwhile, so that nothing below moves when it is drawn, with a word on what comes.
    if (figure.layout && figure.layout.height) el.style.height = figure.layout.height + "px";
    chart.waiting = document.createElement("p");
    chart.waiting.className = "chart-waiting small text-body-secondary p-2 mb-0";
    chart.waiting.textContent = "Drawing the chart\u2026";
    el.appendChild(chart.waiting);
    if (watcher) watcher.observe(el);
    else drawSoon(chart);
  });

  // Printing lays the page out at the paper's width, but a chart keeps the width it was drawn at
  // on screen (1116 px in a 1280 px window): redraw it for the paper before printing, and back after.
  // Browsers tell "beforeprint"/"afterprint"; print media emulation only the media query: listen to both.
  function redraw(forPrint) {
    if (forPrint === printing) return;
    printing = forPrint;
    charts.forEach(function (chart) {
      if (chart.print && chart.drawn) plot(chart, layoutFor(chart, forPrint));
    });
  }
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) { if (window.Plotly || plotlyFiles.plotlySrc) drawSoon(chart); });
    redraw(true);
  });
  window.addEventListener("afterprint", function () { redraw(false); });
  var printMedia = window.matchMedia("print");
  var onPrintMedia = function (event) { redraw(event.matches); };
  if (printMedia.addEventListener) printMedia.addEventListener("change", onPrintMedia);
  else printMedia.addListener(onPrintMedia);
})();
