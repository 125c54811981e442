// The checklist page saves each tick, note and number as soon as it is made: the item's own small
// form is posted with fetch (the server answers the item re-rendered), so one tap is enough and
// nothing else on the page is sent. Without JavaScript the same forms post and reload the page.
(function () {
  const csrf = () => {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };
  const progress = () => {
    const line = document.querySelector("[data-progress]");
    if (!line) return;
    const items = document.querySelectorAll(".check-item");
    const done = document.querySelectorAll(".check-item.is-done");
    line.textContent = line.textContent.replace(/\d+(\D+)\d+/, `${done.length}$1${items.length}`);
  };
  const send = async (form, submitter) => {
    const body = new FormData(form);
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    const item = form.closest(".check-item");
    const error = form.querySelector(".item-error");
    item.classList.add("is-saving");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json", "X-CSRFToken": csrf() },
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (!answer.ok) {
        error.textContent = answer.error;
        return;
      }
      const focused = document.activeElement && document.activeElement.name;
      item.outerHTML = answer.html;
      progress();
      const fresh = document.getElementById(item.id);
      if (focused && fresh) {
        const again = fresh.querySelector(`[name=${focused}]`);
        if (again && again.type !== "hidden") again.focus();
      }
    } catch (failure) {
      error.textContent = form.dataset.offline || "⚠";
      form.submit();  // the plain form still works
    } finally {
      item.classList.remove("is-saving");
    }
  };
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-tick]");
    if (!form) return;
    event.preventDefault();
    send(form, event.submitter);
  });
  // A note or number is saved when the field is left, without ticking.
  document.addEventListener("change", (event) => {
    const form = event.target.closest("form[data-tick]");
    if (!form || !["note", "number", "link"].includes(event.target.name)) return;
    send(form, null);
  });
})();
