// Draws every <canvas data-chart-source="ID"> from the JSON in <script id="ID">.
// The server sends labels already translated and amounts as decimal strings; numbers
// are only turned into floats here, for plotting, never for arithmetic.
// Optional keys: "type" ("line", the default, or "bar"), "stacked" (true/false) and
// "fill" (false: no area under the first line, e.g. when lines are compared).
// Optional keys of a line dataset: "color" (a palette index, to share a colour),
// "dashed" and "thin" (true/false), and "fill_between" (the index of another dataset:
// the area between the two is filled, e.g. the band of a fan chart). A null amount
// leaves a gap (a shorter series).
// Optional key of a bar chart's dataset: "line": true, an amount drawn as a line over the
// bars on their axis, outside their stack (the net of stacked gains and losses).
// Optional key of any dataset: "unit": "count" (e.g. subscribers): a number of things,
// not money. It is drawn as a line on a second y axis at the right, in whole numbers,
// also in a bar chart (bars of money with a line of counts).
// Optional key: "partial_last" (true/false): the last label is the running month, which
// is month-to-date (PRODUCT.md §3): its bars are pale and the lines reach it only by a
// dashed, faint segment to a hollow point, so it never reads as part of the trend.
(function () {
  "use strict";

  // Ten colours, one per passive category (the category chart colours by category, not
  // by position): with six, "Membership" and "P2P interest" were both amber. The grey
  // comes last, for "Other passive income".
  var palette = [
    "#0f766e", "#d97706", "#4f46e5", "#be123c", "#0369a1",
    "#65a30d", "#0891b2", "#c026d3", "#a16207", "#78716c",
  ];

  function moneyFormatter(currency) {
    var lang = document.documentElement.lang || "en";
    return new Intl.NumberFormat(lang, { style: "currency", currency: currency || "EUR" });
  }

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chartSource);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    // Text and grid in the page's colours, light or dark, read when the chart is drawn
    // (app.css sets --ertrag-chart-* for both themes).
    var page = getComputedStyle(document.documentElement);
    Chart.defaults.color = page.getPropertyValue("--ertrag-chart-text").trim() || Chart.defaults.color;
    Chart.defaults.borderColor =
      page.getPropertyValue("--ertrag-chart-grid").trim() || Chart.defaults.borderColor;
    var data = JSON.parse(source.textContent);
    var format = moneyFormatter(data.currency);
    var wholeFormat = new Intl.NumberFormat(document.documentElement.lang || "en", {
      style: "currency",
      currency: data.currency || "EUR",
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    });
    var countFormat = new Intl.NumberFormat(document.documentElement.lang || "en", {
      maximumFractionDigits: 0,
    });
    function isCount(set) {
      return set.unit === "count";
    }
    var hasCounts = data.datasets.some(isCount);
    var type = data.type === "bar" ? "bar" : "line";
    var stacked = data.stacked === true;
    var hasBand = data.datasets.some(function (set) {
      return typeof set.fill_between === "number";
    });
    var last = data.labels.length - 1;
    var partial = data.partial_last === true && last > 0;
    function partialLine(line, color) {
      // The segment into the running month dashed and faint; its point hollow.
      line.segment = {
        borderDash: function (ctx) { return ctx.p1DataIndex === last ? [4, 4] : undefined; },
        borderColor: function (ctx) { return ctx.p1DataIndex === last ? color + "88" : undefined; },
      };
      line.pointRadius = data.labels.map(function (_label, index) {
        return index === last ? 4 : line.pointRadius;
      });
      line.pointBackgroundColor = data.labels.map(function (_label, index) {
        return index === last ? "#ffffff" : color;
      });
      return line;
    }
    function amounts(values) {
      return values.map(function (value) {
        return value === null ? null : Number(value);
      });
    }
    new Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          var color = palette[(typeof set.color === "number" ? set.color : i) % palette.length];
          if (isCount(set)) {
            var counts = {
              type: "line",
              label: set.label,
              data: amounts(set.data),
              yAxisID: "y1",
              unit: "count",
              borderColor: color,
              backgroundColor: color,
              fill: false,
              tension: 0.25,
              pointRadius: data.labels.length > 30 ? 0 : 3,
              order: -1, // over the bars
            };
            return partial ? partialLine(counts, color) : counts;
          }
          if (type === "bar" && set.line) {
            // A money line over the bars (the net of stacked gains and losses): a stack
            // of its own, so it is drawn at its value, not on top of the bars.
            var over = {
              type: "line",
              label: set.label,
              data: amounts(set.data),
              stack: "line",
              borderColor: color,
              backgroundColor: color,
              fill: false,
              tension: 0.25,
              pointRadius: data.labels.length > 30 ? 0 : 3,
              order: -1,
            };
            return partial ? partialLine(over, color) : over;
          }
          if (type === "bar") {
            return {
              label: set.label,
              data: amounts(set.data),
              backgroundColor: data.labels.map(function (_label, index) {
                return partial && index === last ? color + "44" : color + "cc";
              }),
              borderColor: color,
              borderWidth: 1,
            };
          }
          var band = typeof set.fill_between === "number";
          var line = {
            label: set.label,
            data: amounts(set.data),
            borderColor: color,
            backgroundColor: color + (band ? "33" : "22"),
            fill: band ? { target: set.fill_between } : i === 0 && !stacked && !hasBand && data.fill !== false,
            tension: 0.25,
            pointRadius: data.labels.length > 30 ? 0 : 3,
          };
          if (set.thin) {
            line.borderWidth = 1;
          }
          if (set.dashed) {
            line.borderDash = [6, 4];
          }
          return partial && !band ? partialLine(line, color) : line;
        }),
      },
      options: {
        animation: reducedMotion ? false : { duration: 400 },
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          tooltip: {
            filter: function (item) {
              return item.parsed.y !== null;
            },
            callbacks: {
              label: function (ctx) {
                var shown = ctx.dataset.unit === "count" ? countFormat : format;
                return ctx.dataset.label + ": " + shown.format(ctx.parsed.y);
              },
            },
          },
        },
        scales: {
          x: {
            stacked: stacked,
            // Long series (a fan chart's months) read better level and thinned out; on a
            // narrow canvas to about one label per 120 px, so long month names
            // ("Dezember 2026") never run into each other.
            ticks:
              data.labels.length > 30
                ? {
                    maxRotation: 0,
                    autoSkip: true,
                    autoSkipPadding: 24,
                    maxTicksLimit: Math.max(2, Math.floor(canvas.clientWidth / 120)),
                  }
                : {},
          },
          y: {
            stacked: stacked,
            beginAtZero: type === "bar",
            // Whole amounts on the axis: cents only crowd it, on a phone most of all.
            ticks: {
              callback: function (value) {
                return (this.max - this.min >= 100 ? wholeFormat : format).format(value);
              },
            },
          },
          y1: {
            display: hasCounts,
            position: "right",
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            ticks: {
              precision: 0,
              callback: function (value) { return countFormat.format(value); },
            },
          },
        },
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
