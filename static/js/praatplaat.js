// The praatplaat's print button: the browser's print dialog, where "Opslaan als PDF" is a
// printer too. Hidden until this script runs, so that without JavaScript no dead button shows.
for (const button of document.querySelectorAll("[data-afdrukken]")) {
  button.addEventListener("click", () => window.print());
  button.closest(".pp-afdrukken")?.removeAttribute("hidden");
}
