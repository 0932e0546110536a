// After an htmx change: move keyboard focus to what changed and announce it to screen readers.
// The server names both in the `koers:changed` event (HX-Trigger-After-Settle).
document.body.addEventListener("koers:changed", (event) => {
  const { focus, message } = event.detail || {};
  const region = document.getElementById("aankondiging");
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
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  }
});
