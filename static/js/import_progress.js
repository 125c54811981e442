// Polls an import's progress once a second and reloads the page when it has finished (or
// failed: the server answers "failed" for a job that died). A failed request is tried again.
(function () {
  const bar = document.getElementById("import-progress");
  const poll = async () => {
    let state;
    try {
      const response = await fetch(bar.dataset.url, { headers: { Accept: "application/json" } });
      state = await response.json();
    } catch (error) {
      setTimeout(poll, 5000);
      return;
    }
    bar.value = state.progress;
    if (state.status === "pending" || state.status === "running") setTimeout(poll, 1000);
    else location.reload();
  };
  setTimeout(poll, 1000);
})();
