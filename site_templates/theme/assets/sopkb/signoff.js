/* Read-and-sign: on an SOP page a learner signs "I have read version X". The signature is kept
   with the version, so when the SOP's version changes the page (and every path and assignment
   listing it) shows the signature as outdated. Opening the page is remembered too, so a path
   can tell "opened" from "not started".

   A learner whose signature is for an earlier version sees, above the button, what changed from
   the version they signed to this one, fetched only then (changes-since.js). */

import { announce, el, onPage, setBuiltHtml } from "./core.js";
import { changesSince } from "./changes-since.js";
import * as learner from "./records.js";
import { day, sopState } from "./progress-state.js";

let shown = 0;  /* the latest request for changes: an answer to an earlier one is dropped */

function statusText(who, version, state) {
  if (!who) { return "Give your name, then sign that you have read version " + version + " of this SOP."; }
  if (state.state === "done") { return "✓ " + who + ": signed version " + version + " on " + day(state.record.at) + "."; }
  if (state.state === "outdated") { return "Outdated: " + state.text + "."; }
  return who + ": you have not signed version " + version + " yet.";
}

/* The area for the changes since a signature, made once, just above the sign button. */
function sinceArea(box) {
  let area = box.querySelector("[data-signoff-since]");
  if (!area) {
    area = el("section", { class: "sopkb-since", "data-signoff-since": "", "aria-labelledby": "sopkb-since-title" },
      el("h3", { id: "sopkb-since-title" }, "What changed since you signed"),
      el("p", { "data-since-lead": "" }),
      el("div", { class: "sopkb-changes", "data-since-changes": "" }));
    box.insertBefore(area, box.querySelector("[data-signoff-sign]"));
  }
  return area;
}

/* "see What changed" when the page has that section, else nothing. */
function toSection() {
  return document.getElementById("what-changed")
    ? [" See ", el("a", { href: "#what-changed" }, "What changed"), " for the latest version."] : [];
}

function unavailable(area, signed, why) {
  area.querySelector("[data-since-lead]").replaceChildren(signed + " " + why + " Read the SOP again before you sign.", ...toSection());
  area.querySelector("[data-since-changes]").replaceChildren();
}

async function showSince(box, record, tell) {
  const mine = ++shown;
  const area = sinceArea(box);
  const version = String(record.version);
  const signed = "You signed version " + version + " on " + day(record.at) + ".";
  const changes = area.querySelector("[data-since-changes]");
  area.hidden = false;
  area.querySelector("[data-since-lead]").textContent = signed + " Loading what changed since…";
  changes.replaceChildren();
  changes.setAttribute("aria-busy", "true");
  let said;
  try {
    const html = await changesSince(box.getAttribute("data-sop-data"), box.getAttribute("data-root"), version,
      box.getAttribute("data-version"));
    if (mine !== shown) { return; }
    if (html === null) {
      unavailable(area, signed, "This site has no comparison from that version (it keeps the newest earlier versions it can read).");
      said = "No comparison with the version you signed.";
    } else {
      area.querySelector("[data-since-lead]").textContent = "You signed version " + version + " on " + day(record.at) +
        "; here is what changed since (now version " + box.getAttribute("data-version") + ").";
      setBuiltHtml(changes, html);
      said = "What changed since version " + version + " is shown above the sign button.";
    }
  } catch {
    if (mine !== shown) { return; }
    unavailable(area, signed, "What changed since could not be loaded.");
    said = "What changed since your signature could not be loaded.";
  } finally {
    if (mine === shown) { changes.removeAttribute("aria-busy"); }
  }
  if (tell) { announce(said); }
}

function hideSince(box) {
  shown++;
  const area = box.querySelector("[data-signoff-since]");
  if (area) { area.hidden = true; }
}

function render(box, tell = false) {
  const version = box.getAttribute("data-version");
  const state = sopState(box.getAttribute("data-sop"), version);
  const badge = document.querySelector("[data-signoff-badge]");
  const who = learner.name();
  box.querySelector("[data-signoff-status]").textContent = statusText(who, version, state);
  box.setAttribute("data-state", who ? state.state : "anonymous");
  box.querySelector("[data-signoff-sign]").hidden = !who || state.state === "done";
  if (badge) {
    badge.hidden = !who || (state.state !== "done" && state.state !== "outdated");
    badge.textContent = state.state === "done" ? "✓ Signed" : "Signature outdated";
    badge.setAttribute("data-state", state.state);
  }
  if (who && state.state === "outdated" && box.getAttribute("data-sop-data")) {
    showSince(box, state.record, tell);
  } else {
    hideSince(box);
  }
}

function sign(box) {
  const version = box.getAttribute("data-version");
  const saved = learner.set("ack", box.getAttribute("data-sop"),
    { version, title: box.getAttribute("data-title"), at: new Date().toISOString() });
  render(box);
  const status = box.querySelector("[data-signoff-status]");
  if (!saved && !box.querySelector(".sopkb-not-saved")) {
    box.insertBefore(learner.notSavedMessage("Your signature"), status.nextSibling);
  }
  status.focus();
  if (saved) { announce("Signed: you have read version " + version + "."); }
}

export function init() {
  const box = document.querySelector("[data-signoff]");
  if (!box) { return; }
  const sop = box.getAttribute("data-sop");
  if (!learner.get("seen", sop)) {
    learner.set("seen", sop, { version: box.getAttribute("data-version"), at: new Date().toISOString() });
  }
  const button = box.querySelector("[data-signoff-sign]");
  if (!button.getAttribute("data-ready")) {
    button.setAttribute("data-ready", "1");
    button.addEventListener("click", () => sign(box));
  }
  box.querySelector("[data-signoff-status]").setAttribute("tabindex", "-1");
  render(box);
}

learner.onLearnerChange(() => {
  const box = document.querySelector("[data-signoff]");
  if (box) { render(box, true); }
});
onPage(init);
