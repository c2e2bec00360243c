// The workbook's only script: it swaps in what the server pushes (server-sent events). Without it, every page
// still reads in full; it just does not update by itself.
const events = new EventSource("/-/events");

events.addEventListener("grade", (event) => {
  const { exercise, grade, hints, nav } = JSON.parse(event.data);
  replaceWith("course-nav", nav, { keepCurrent: true });
  const panel = document.getElementById("grade");
  if (!panel || panel.dataset.exercise !== exercise) return;
  setInner("grade-body", grade);
  setInner("hints-body", new DOMParser().parseFromString(hints, "text/html").getElementById("hints-body")?.innerHTML ?? "");
});

events.addEventListener("jar", (event) => {
  replaceWith("jar", JSON.parse(event.data).html);
});

events.addEventListener("app", (event) => {
  const { exercise, html } = JSON.parse(event.data);
  const panel = document.getElementById("grade");
  if (panel && panel.dataset.exercise === exercise) setInner("app-status", html);
});

function setInner(id, html) {
  const element = document.getElementById(id);
  if (element) element.innerHTML = html;
}

/** Replaces an element with the server's version of it, keeping keyboard focus where it was when it can. */
function replaceWith(id, html, { keepCurrent = false } = {}) {
  const element = document.getElementById(id);
  if (!element) return;
  const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
  if (!fresh) return;
  if (keepCurrent) {
    // The server does not know which page this is: the link to this page stays marked as the current one.
    for (const link of fresh.querySelectorAll("a")) {
      if (link.getAttribute("href") === location.pathname) link.setAttribute("aria-current", "page");
    }
  }
  const focused = document.activeElement && element.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
  element.replaceWith(fresh);
  if (focused) fresh.querySelector(`a[href="${CSS.escape(focused)}"]`)?.focus();
}
