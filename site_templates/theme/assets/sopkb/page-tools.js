/* Copy buttons and "Print quick card". Event delegation on document, so buttons added later
   (guided mode's) and pages swapped in by instant navigation work too. The buttons are hidden in
   the page until this runs: without script they would do nothing. */

import { copyAndAnnounce, onPage } from "./core.js";

document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest(".sopkb-copy");
  if (!button) { return; }
  const label = button.textContent;
  copyAndAnnounce(button.getAttribute("data-copy") || "", "Copied to the clipboard",
    "Could not copy; select the text instead").then((copied) => {
    button.textContent = copied ? "Copied" : "Copy failed";
    window.setTimeout(() => { button.textContent = label; }, 1500);
  });
});

/* The page prints as one sheet with the quick card and flowchart only. */
document.addEventListener("click", (event) => {
  if (!(event.target.closest && event.target.closest("[data-print-card]"))) { return; }
  document.body.classList.add("sopkb-printing-card");
  window.print();
});
window.addEventListener("afterprint", () => { document.body.classList.remove("sopkb-printing-card"); });

export function init() {
  for (const button of document.querySelectorAll(".sopkb-copy[hidden], [data-print-card][hidden]")) {
    button.hidden = false;
  }
}
onPage(init);
