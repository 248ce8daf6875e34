/* Learning paths: each item's state and "2 of 5 done", on a path's page and on its card. */

import { onPage } from "./core.js";
import { onLearnerChange } from "./records.js";
import { itemState } from "./progress-state.js";

function itemOf(node) {
  return {
    kind: node.getAttribute("data-kind"),
    id: node.getAttribute("data-id"),
    version: node.getAttribute("data-version"),
    fingerprint: node.getAttribute("data-fingerprint"),
  };
}

function showSummary(box, done, total) {
  box.querySelector("progress").value = done;
  box.querySelector("[data-path-progress-text]").textContent = done + " of " + total + " done" +
    (done === total && total ? " · complete" : "");
  box.setAttribute("data-done", String(done));
}

export function init() {
  for (const scope of document.querySelectorAll("[data-path], [data-path-card]")) {
    const items = scope.querySelectorAll("[data-progress-item]");
    let done = 0;
    for (const item of items) {
      const state = itemState(itemOf(item));
      const label = item.querySelector("[data-item-state]");
      label.textContent = state.text;
      label.setAttribute("data-state", state.state);
      if (state.state === "done") { done++; }
    }
    const box = scope.querySelector("[data-path-progress]");
    if (box) { showSummary(box, done, items.length); }
  }
}

onLearnerChange(init);
onPage(init);
