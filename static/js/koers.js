// After an htmx change: move keyboard focus to what changed and announce it, to screen readers
// and on screen (#aankondiging shows while it has text). The server names both in the
// `koers:changed` event (HX-Trigger-After-Settle).
const announcement = () => document.getElementById("aankondiging");

document.body.addEventListener("koers:changed", (event) => {
  const { focus, message } = event.detail || {};
  const region = announcement();
  if (region && message) {
    region.textContent = "";
    // A fresh text node makes screen readers announce the same message twice in a row too.
    window.setTimeout(() => { region.textContent = message; }, 50);
  }
  const target = focus ? document.querySelector(focus) : null;
  if (target) {
    if (!target.hasAttribute("tabindex") && !target.matches("a, button, input, select, textarea")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "nearest" });
  }
});

// The message stays in view until the next action, or Escape.
document.body.addEventListener("htmx:beforeRequest", () => {
  const region = announcement();
  if (region) region.textContent = "";
});

// -- the goal tree ---------------------------------------------------------------------------

// An item's menu loads its controls the first time it opens. Without JavaScript the link in
// it opens the same controls as a page.
document.addEventListener("toggle", (event) => {
  const menu = event.target;
  if (!(menu instanceof HTMLDetailsElement) || !menu.matches(".koers-menu") || !menu.open) return;
  const body = menu.querySelector(".koers-menu__inhoud");
  const link = body && body.querySelector("a[href]");
  if (!link || menu.dataset.laden || !window.htmx) return;
  menu.dataset.laden = "ja";
  // The menu is the request's source: htmx lets one source have one request at a time and
  // keeps only the last one waiting, so with the page as source (the default) opening three
  // menus quickly would leave the middle one loading for ever.
  const done = () => { delete menu.dataset.laden; };
  const request = { source: menu, target: body, swap: "innerHTML" };
  window.htmx.ajax("GET", link.href, request).then(() => {
    done();
    // Whoever had tabbed onto the placeholder link lands on the first control.
    if (document.activeElement === document.body || !document.activeElement) {
      const first = body.querySelector("a[href], button");
      if (first) first.focus();
    }
  }, done);
}, true);

// Escape closes the open menu around the focus and returns to its button.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const active = document.activeElement;
  const menu = active && active.closest ? active.closest("details.koers-menu[open]") : null;
  if (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
    event.preventDefault();
  }
  const region = announcement();
  if (region) region.textContent = "";
});

// Collapsing ambities and strategic goals. The links work without JavaScript (the server
// renders the URL's ?dicht=a3,s12); here they collapse in place and keep the URL in step, so
// that reloading or sharing it shows the same view.
// The order the server writes them in: kind, then number ("a2,s3,s10").
const treeOrder = (a, b) => a[0].localeCompare(b[0]) || Number(a.slice(1)) - Number(b.slice(1));

const closedIn = (url) => new Set((url.searchParams.get("dicht") || "").split(",").filter(Boolean));

const withClosed = (url, closed) => {
  const copy = new URL(url);
  const value = [...closed].sort(treeOrder).join(",");
  if (value) copy.searchParams.set("dicht", value);
  else copy.searchParams.delete("dicht");
  return copy;
};

const setExpanded = (toggle, expanded) => {
  toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
  const part = document.getElementById(toggle.getAttribute("aria-controls"));
  if (part) part.hidden = !expanded;
};

const rememberClosed = (closed) => {
  const url = withClosed(window.location.href, closed);
  window.history.replaceState(window.history.state, "", url);
  const field = document.querySelector('.koers-filters input[name="dicht"]');
  if (field) {
    field.value = url.searchParams.get("dicht") || "";
    field.disabled = !field.value;
  }
  // Each link's own target (new tab, no script) follows the new state too.
  document.querySelectorAll("a.koers-toggle, #filters-wissen a").forEach((link) => {
    const own = new Set(closed);
    const key = link.dataset.dicht;
    if (key && !own.delete(key)) own.add(key);
    const href = withClosed(link.href, own);
    link.setAttribute("href", href.pathname + href.search + href.hash);
  });
};

document.addEventListener("click", (event) => {
  const toggle = event.target.closest ? event.target.closest("a.koers-toggle") : null;
  if (!toggle || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const expanded = toggle.getAttribute("aria-expanded") !== "true";
  setExpanded(toggle, expanded);
  const closed = closedIn(new URL(window.location.href));
  if (expanded) closed.delete(toggle.dataset.dicht);
  else closed.add(toggle.dataset.dicht);
  rememberClosed(closed);
});

// A link to a goal inside a collapsed part ("Draagt ook bij aan") opens that part.
const revealTarget = () => {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  let part = target ? target.closest(".koers-onder[hidden]") : null;
  if (!part) return;
  const closed = closedIn(new URL(window.location.href));
  while (part) {
    const toggle = document.querySelector(`a.koers-toggle[aria-controls="${part.id}"]`);
    if (toggle) {
      setExpanded(toggle, true);
      closed.delete(toggle.dataset.dicht);
    }
    part.hidden = false;
    part = part.parentElement.closest(".koers-onder[hidden]");
  }
  rememberClosed(closed);
  target.scrollIntoView();
};
window.addEventListener("hashchange", revealTarget);
revealTarget();
