// The workbook's only script: it swaps in what the server pushes (server-sent events). Without it, every page
// still reads in full; it just does not update by itself.
const events = new EventSource("/-/events");

events.addEventListener("grade", (event) => {
  const { exercise, grade, hints, nav } = JSON.parse(event.data);
  replaceWith("course-nav", nav, { keepCurrent: true });
  const panel = document.getElementById("grade");
  if (!panel || panel.dataset.exercise !== exercise) return;
  setInner("grade-body", grade);
  setInner(
    "hints-body",
    new DOMParser().parseFromString(hints, "text/html").getElementById("hints-body")?.innerHTML ?? "",
  );
});

events.addEventListener("jar", (event) => {
  replaceWith("jar", JSON.parse(event.data).html);
});

let appState;
events.addEventListener("app", (event) => {
  const { exercise, state, html } = JSON.parse(event.data);
  const panel = document.getElementById("grade");
  if (!panel || panel.dataset.exercise !== exercise) return;
  setInner("app-status", html);
  // A save restarted the app: the frame still shows the page the old code made. One button shows the new one.
  if (state === "running" && appState === "starting") offerReload();
  appState = state;
});

// The page shows when the workbook is gone (Ctrl+C in its terminal), and again when it is back.
events.addEventListener("error", () =>
  setBanner("The workbook is not running: start it again with pnpm start. This page reconnects by itself."),
);
events.addEventListener("open", () => setBanner(undefined));

// The frame's address box follows the frame: a link clicked in the app, a redirect, a form sent.
const frame = document.querySelector('iframe[name="app"]');
frame?.addEventListener("load", () => {
  const box = document.getElementById("app-path");
  try {
    if (box) box.value = frame.contentWindow.location.pathname + frame.contentWindow.location.search;
  } catch {
    // A page of another origin (the app linked away): its address is not ours to read.
  }
});

function offerReload() {
  const status = document.getElementById("app-status");
  if (!status || !frame) return;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Reload the frame, to see the new code";
  button.addEventListener("click", () => {
    frame.src = frame.contentWindow.location.pathname + frame.contentWindow.location.search;
    button.remove();
  });
  status.append(button);
}

function setBanner(text) {
  let banner = document.getElementById("workbook-banner");
  if (!text) return banner?.remove();
  if (!banner) {
    banner = document.createElement("p");
    banner.id = "workbook-banner";
    banner.setAttribute("role", "status");
    document.body.prepend(banner);
  }
  banner.textContent = text;
}

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
  const focused =
    document.activeElement && element.contains(document.activeElement)
      ? document.activeElement.getAttribute("href")
      : null;
  element.replaceWith(fresh);
  if (focused) fresh.querySelector(`a[href="${CSS.escape(focused)}"]`)?.focus();
}
