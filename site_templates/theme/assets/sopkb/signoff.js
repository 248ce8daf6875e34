/* Read-and-sign: on an SOP page a learner signs "I have read version X". The signature is kept
   with the version, so when the SOP's version changes the page (and every path and assignment
   listing it) shows the signature as outdated. Opening the page is remembered too, so a path
   can tell "opened" from "not started". */

import { announce, onPage } from "./core.js";
import * as learner from "./records.js";
import { day, sopState } from "./progress-state.js";

function statusText(who, version, state) {
  if (!who) { return "Give your name, then sign that you have read version " + version + " of this SOP."; }
  if (state.state === "done") { return "✓ " + who + ": signed version " + version + " on " + day(state.record.at) + "."; }
  if (state.state === "outdated") { return "Outdated: " + state.text + "."; }
  return who + ": you have not signed version " + version + " yet.";
}

function render(box) {
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
  if (box) { render(box); }
});
onPage(init);
