// Draws every <canvas data-chart-source="ID"> from the JSON in <script id="ID">.
// The server sends labels already translated and amounts as decimal strings; numbers
// are only turned into floats here, for plotting, never for arithmetic.
// Optional keys: "type" ("line", the default, or "bar"), "stacked" (true/false) and
// "fill" (false: no area under the first line, e.g. when lines are compared).
// Optional keys of a line dataset: "color" (a palette index, to share a colour),
// "dashed" and "thin" (true/false), and "fill_between" (the index of another dataset:
// the area between the two is filled, e.g. the band of a fan chart). A null amount
// leaves a gap (a shorter series).
(function () {
  "use strict";

  var palette = ["#0f766e", "#d97706", "#4f46e5", "#be123c", "#0369a1", "#65a30d"];

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
    var data = JSON.parse(source.textContent);
    var format = moneyFormatter(data.currency);
    var type = data.type === "bar" ? "bar" : "line";
    var stacked = data.stacked === true;
    var hasBand = data.datasets.some(function (set) {
      return typeof set.fill_between === "number";
    });
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
          if (type === "bar") {
            return {
              label: set.label,
              data: amounts(set.data),
              backgroundColor: color + "cc",
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
          return line;
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
                return ctx.dataset.label + ": " + format.format(ctx.parsed.y);
              },
            },
          },
        },
        scales: {
          x: {
            stacked: stacked,
            // Long series (a fan chart's months) read better level and thinned out.
            ticks: data.labels.length > 30 ? { maxRotation: 0, autoSkipPadding: 24 } : {},
          },
          y: {
            stacked: stacked,
            beginAtZero: type === "bar",
            ticks: { callback: function (value) { return format.format(value); } },
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
