/* "My learning": the learner's saved assignments and sign-offs (paths are progress.js's), and the
   SOPs signed at a version that is no longer current, each with what changed since in a line (from
   the SOP's data file, fetched for the SOPs signed only). */

import { el, fetchJson, fillAddress, onPage } from "./core.js";
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

let asked = 0;  /* the latest look-up of signed SOPs: an answer for an earlier learner is dropped */

/* "You signed version 1.10; now 2.0: 1 step reworded, 1 added", for an SOP whose data says so. */
function sinceText(record, data) {
  const entry = (Array.isArray(data.earlier) ? data.earlier : []).find((e) => e && e.version === record.version);
  const summary = entry && typeof entry.summary === "string" ? entry.summary : "see what changed";
  return "You signed version " + String(record.version) + " on " + day(record.at) + "; now version " + String(data.version) + ": " + summary + ".";
}

async function toSignAgain(page, box) {
  const mine = ++asked;
  const signed = learner.all("ack");
  const sops = Object.keys(signed).filter(isId);
  const found = await Promise.all(sops.map((sop) =>
    fetchJson(fillAddress(page.getAttribute("data-sop-data"), sop)).catch(() => null)));  /* an SOP no longer in the KB */
  if (mine !== asked) { return; }
  const outdated = sops.map((sop, i) => [sop, signed[sop], found[i]])
    .filter(([, record, data]) => data && typeof data.version === "string" && record.version !== data.version);
  if (!outdated.length) { return; }
  box.replaceChildren(el("ul", { class: "sopkb-listing" }, ...outdated.map(([sop, record, data]) =>
    el("li", { "data-my-resign-sop": sop },
      el("a", { href: fillAddress(page.getAttribute("data-sop-url"), sop) + "#read-and-sign" },
        typeof data.title === "string" && data.title ? data.title : sop),
      el("span", { class: "sopkb-listing__summary" }, sinceText(record, data))))));
}

function render(page) {
  const mine = page.querySelector("[data-my-assignments]");
  const signedBox = page.querySelector("[data-my-signoffs]");
  const again = page.querySelector("[data-my-resign]");
  reset(mine);
  reset(signedBox);
  reset(again);
  assignments(page, mine);
  signoffs(page, signedBox);
  toSignAgain(page, again);
}

export function init() {
  document.querySelectorAll("[data-my-learning]").forEach(render);
}

learner.onLearnerChange(init);
onPage(init);
