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

/* "Print quick card": one sheet of A4 landscape, the title and the whole quick card on its front.
   A flowchart that fits beside the card at nearly full size prints there; a longer one on the
   back, as large as the page allows, turned a quarter when that makes it larger (a tall chart),
   rather than shrinking beside the card until it cannot be read. Sizes in CSS px (sopkb.css). */
const BESIDE = { width: 415, height: 650, scale: 0.9 }; // the front page's chart column
const PAGE = { width: 1062, height: 725 }; // the back page, inside its margins

const fit = (w, h, box) => Math.min(1, box.width / w, box.height / h);

export function chartPrintLayout(chart) {
  const box = chart && chart.viewBox && chart.viewBox.baseVal;
  if (!box || !box.width || !box.height) { return { back: false, turned: false }; }
  if (fit(box.width, box.height, BESIDE) >= BESIDE.scale) { return { back: false, turned: false }; }
  return { back: true, turned: fit(box.height, box.width, PAGE) > fit(box.width, box.height, PAGE) };
}

/* Swap the chart's box to landscape for the print (sopkb.css turns its parts inside it); the
   returned function puts the box back exactly as it was. */
const BOX = ["viewBox", "width", "height"];
function turnChart(chart) {
  const saved = BOX.map((name) => chart.getAttribute(name));
  const box = chart.viewBox.baseVal;
  chart.setAttribute("viewBox", `0 0 ${box.height} ${box.width}`);
  chart.setAttribute("width", saved[2]);
  chart.setAttribute("height", saved[1]);
  return () => { BOX.forEach((name, i) => chart.setAttribute(name, saved[i])); };
}

let unturn = null; // puts back the chart turned for the print in progress

function endCardPrint() {
  if (unturn) { unturn(); unturn = null; }
  document.body.classList.remove("sopkb-printing-card", "sopkb-printing-card--chart-back", "sopkb-printing-card--chart-turned");
}

document.addEventListener("click", (event) => {
  if (!(event.target.closest && event.target.closest("[data-print-card]"))) { return; }
  endCardPrint();
  const chart = document.querySelector("svg.sopkb-chart");
  const layout = chartPrintLayout(chart);
  if (layout.turned) { unturn = turnChart(chart); }
  document.body.classList.add("sopkb-printing-card");
  document.body.classList.toggle("sopkb-printing-card--chart-back", layout.back);
  document.body.classList.toggle("sopkb-printing-card--chart-turned", layout.turned);
  window.print();
});
window.addEventListener("afterprint", endCardPrint);

export function init() {
  for (const button of document.querySelectorAll(".sopkb-copy[hidden], [data-print-card][hidden]")) {
    button.hidden = false;
  }
}
onPage(init);
