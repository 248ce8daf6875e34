/* "My learning": the learner's saved assignments and sign-offs (paths are progress.js's). */

import { el, fillAddress, onPage } from "./core.js";
import * as learner from "./records.js";
import { day } from "./progress-state.js";
import { describe, encode, isId, isSpec, today } from "./pure/assignment-link.js";

const emptyText = new WeakMap();  /* box -> the page's own "none yet" content */

/* Back to the page's own "none yet" text, for a learner with nothing there. */
function reset(box) {
  if (!emptyText.has(box)) { emptyText.set(box, Array.from(box.childNodes, (n) => n.cloneNode(true))); }
  box.replaceChildren(...emptyText.get(box).map((n) => n.cloneNode(true)));
}

function assignments(page, box) {
  const saved = learner.all("assignment");
  const ids = Object.keys(saved).filter((id) => isSpec(saved[id].spec));  /* storage is untrusted too */
  if (!ids.length) { return; }
  box.replaceChildren(el("ul", { class: "sopkb-listing" }, ...ids.map((id) => {
    const spec = saved[id].spec;
    return el("li", { "data-my-assignment": id },
      el("a", { href: page.getAttribute("data-assignment-url") + "#a=" + encode(spec) }, spec.title),
      el("span", { class: "sopkb-listing__summary" }, describe(spec, today())));
  })));
}

function signoffs(page, box) {
  const signed = learner.all("ack");
  const sops = Object.keys(signed).filter(isId);
  if (!sops.length) { return; }
  box.replaceChildren(el("ul", { class: "sopkb-listing" }, ...sops.map((sop) => {
    const record = signed[sop];
    const title = typeof record.title === "string" && record.title ? record.title : sop;
    return el("li", {},
      el("a", { href: fillAddress(page.getAttribute("data-sop-url"), sop) }, title),
      el("span", { class: "sopkb-listing__summary" }, "Signed version " + String(record.version) + " on " + day(record.at)));
  })));
}

function render(page) {
  const mine = page.querySelector("[data-my-assignments]");
  const signedBox = page.querySelector("[data-my-signoffs]");
  reset(mine);
  reset(signedBox);
  assignments(page, mine);
  signoffs(page, signedBox);
}

export function init() {
  document.querySelectorAll("[data-my-learning]").forEach(render);
}

learner.onLearnerChange(init);
onPage(init);
