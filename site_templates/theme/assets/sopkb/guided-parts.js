/* What guided mode shows besides the flow: a step's parts (callouts, what to do and say, tables,
   written messages, notes, in the step's part order), and the procedure's own callouts and
   messages. They are copies of the page's procedure (the `data-step-parts`, `data-sop-callouts`
   and `data-sop-messages` blocks the build rendered), so guided mode and the page never differ
   and nothing is shipped twice. Copies carry no ids (the page's blocks have none). */

import { el, setBuiltHtml } from "./core.js";

function copyOf(element) {
  const copy = element.cloneNode(true);
  for (const name of ["data-step-parts", "data-sop-callouts", "data-sop-messages"]) { copy.removeAttribute(name); }
  /* copy buttons are shown by page-tools.js once it runs; a copy made before then shows its own */
  for (const button of copy.querySelectorAll(".sopkb-copy[hidden]")) { button.hidden = false; }
  return copy;
}

/** A copy of the page's parts of step `stepId`, or null where the page has none (a KB's own
    older page template): then guided mode shows the step from its flow data. */
export function stepParts(stepId) {
  const found = Array.from(document.querySelectorAll(".sopkb-procedure [data-step-parts]"))
    .find((element) => element.getAttribute("data-step-parts") === stepId);
  return found ? copyOf(found) : null;
}

/** The callouts that apply to the whole procedure, folded under their count; open when `open`. */
export function procedureCallouts(open) {
  const found = document.querySelector(".sopkb-procedure [data-sop-callouts]");
  if (!found) { return null; }
  const count = found.querySelectorAll(".sopkb-callout").length;
  const details = el("details", { class: "sopkb-guided__rules" },
    el("summary", {}, "Warnings and rules for the whole procedure (" + count + ")"), copyOf(found));
  details.open = open;
  return details;
}

/** The procedure's written messages (a follow-up email, a ticket note), for the end of the call. */
export function procedureMessages() {
  const found = document.querySelector("[data-sop-messages]");
  return found ? el("div", { class: "sopkb-guided__messages" },
    el("p", { class: "sopkb-label" }, "Message templates"), copyOf(found)) : null;
}

/* The flow data's lists are HTML the build rendered from the SOP source (core.js). */
export function htmlList(items) {
  return el("ul", {}, ...items.map((html) => setBuiltHtml(el("li"), html)));
}

/** What to say, with its copy button; null when there is nothing to say. */
export function sayBlock(say) {
  if (!say.html.length) { return null; }
  return el("div", { class: "sopkb-say" },
    el("p", { class: "sopkb-say__label" }, "Say"),
    htmlList(say.html),
    el("button", { type: "button", class: "md-button sopkb-copy", "data-copy": say.text, "aria-label": "Copy what to say" }, "Copy"));
}

function labelled(label, items) {
  return items.length ? [el("p", { class: "sopkb-label" }, label), htmlList(items)] : [];
}

/** A step from its flow data alone, for a KB whose own page template has no parts blocks. */
export function flowDataParts(step) {
  return [sayBlock(step.say), ...labelled("Ask", step.ask), ...labelled("Do", step.do), ...labelled("Verify", step.verify)]
    .filter(Boolean);
}
