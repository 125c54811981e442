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
  // Requests go one after the other: leaving a note field (a save) and tapping the tick right after
  // must reach the server, and come back, in that order.
  let queue = Promise.resolve();
  const send = (form, submitter) => {
    const body = new FormData(form);  // what the form says now, before any answer re-renders it
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    const itemId = form.closest(".check-item").id;
    queue = queue.then(() => post(form.action, body, itemId, form));
  };
  const post = async (action, body, itemId, form) => {
    const current = () => document.getElementById(itemId);
    if (current()) current().classList.add("is-saving");
    try {
      const response = await fetch(action, {
        method: "POST",
        body,
        headers: { Accept: "application/json", "X-CSRFToken": csrf() },
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (!answer.ok) {
        const error = current() && current().querySelector(".item-error");
        if (error) error.textContent = answer.error;
        return;
      }
      const focused = document.activeElement && current() && current().contains(document.activeElement)
        ? document.activeElement.name : null;
      if (current()) current().outerHTML = answer.html;
      progress();
      if (focused && current()) {
        const again = current().querySelector(`[name=${focused}]`);
        if (again && again.type !== "hidden") again.focus();
      }
    } catch (failure) {
      if (form.isConnected) form.submit();  // no answer: the plain form still works
    } finally {
      if (current()) current().classList.remove("is-saving");
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
