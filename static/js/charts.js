// Draws every <canvas data-chart-source="ID"> from the JSON in <script id="ID">.
// The server sends labels already translated and amounts as decimal strings; numbers
// are only turned into floats here, for plotting, never for arithmetic.
// Optional keys: "type" ("line", the default, or "bar") and "stacked" (true/false).
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
    new Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          var color = palette[i % palette.length];
          if (type === "bar") {
            return {
              label: set.label,
              data: set.data.map(Number),
              backgroundColor: color + "cc",
              borderColor: color,
              borderWidth: 1,
            };
          }
          return {
            label: set.label,
            data: set.data.map(Number),
            borderColor: color,
            backgroundColor: color + "22",
            fill: i === 0 && !stacked,
            tension: 0.25,
            pointRadius: data.labels.length > 30 ? 0 : 3,
          };
        }),
      },
      options: {
        animation: reducedMotion ? false : { duration: 400 },
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + format.format(ctx.parsed.y);
              },
            },
          },
        },
        scales: {
          x: { stacked: stacked },
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
