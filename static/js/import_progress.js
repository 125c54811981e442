// Polls an import's progress once a second and reloads the page when it has finished.
(function () {
  const bar = document.getElementById("import-progress");
  const poll = async () => {
    const response = await fetch(bar.dataset.url, { headers: { Accept: "application/json" } });
    const state = await response.json();
    bar.value = state.progress;
    if (state.status === "pending" || state.status === "running") setTimeout(poll, 1000);
    else location.reload();
  };
  setTimeout(poll, 1000);
})();
