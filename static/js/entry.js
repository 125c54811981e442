// Derived metrics on the entry page, worked out as the user types, from the same formulas the
// server uses (stores/metrics.py, passed in as JSON): numerator / denominator, "—" when either
// is missing or the denominator is 0.
(function () {
  const form = document.getElementById("entry-form");
  const formulas = JSON.parse(document.getElementById("derived-formulas").textContent);
  const number = (code) => {
    const input = form.elements[code];
    if (!input) return null;
    const text = input.value.replace(/[,，¥￥\s]/g, "");
    if (text === "" || text === "-" || text === "--") return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  };
  const shown = (kind, value) => {
    if (value === null) return "—";
    if (kind === "percent") return (value * 100).toFixed(2) + "%";
    if (kind === "money") return "¥" + value.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return value.toFixed(2);
  };
  const update = () => {
    for (const formula of formulas) {
      const top = number(formula.numerator);
      const bottom = number(formula.denominator);
      const value = top === null || bottom === null || bottom === 0 ? null : top / bottom;
      form.querySelector(`[data-derived="${formula.code}"]`).textContent = shown(formula.kind, value);
    }
  };
  form.addEventListener("input", update);
  update();
})();

// The date picker above the form opens that day's page (/stores/<slug>/entry/YYYY-MM-DD/).
(function () {
  const picker = document.getElementById("day-picker");
  if (!picker) return;
  picker.addEventListener("submit", (event) => {
    event.preventDefault();
    location.href = `${picker.dataset.dayUrl}${picker.elements.day.value}/`;
  });
})();
