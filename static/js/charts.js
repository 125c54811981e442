// Draws the report's charts: each .plotly-chart element carries its figure (data, layout and
// config) as JSON in data-figure (reports/charts.py), so the page needs no inline script and
// the Content-Security-Policy can allow scripts from our own static files only.
(function () {
  const draw = () => {
    document.querySelectorAll(".plotly-chart[data-figure]").forEach((element) => {
      const figure = JSON.parse(element.dataset.figure);
      window.Plotly.newPlot(element, figure.data, figure.layout, figure.config);
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
