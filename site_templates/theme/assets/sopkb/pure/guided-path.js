/* The path guided mode has taken through one call, possibly across SOPs (calls, hand-offs and
   returns): what the "Path so far" list and the call notes say, where Back goes, and the check
   on a path carried across a page load in the tab's session storage (untrusted).

   An entry: {id, sop, kind, step, number, title, question, answer, depth}. `id` and `sop` are
   the SOP's id and title; `kind` is "step" (a step done), "call" (a step that called another
   SOP) or "start" (the situation chosen, `title` its words, `step` where it starts); `depth` is
   how many calls were open then. */

import { isId, MAX_CALLS, TEXT_MAX } from "./call-stack.js";

export const MAX_PATH = 200;

function text(value) { return typeof value === "string" ? value.slice(0, TEXT_MAX) : null; }

function entryOf(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) { return null; }
  const depth = Number.isInteger(value.depth) && value.depth >= 0 && value.depth <= MAX_CALLS ? value.depth : -1;
  return {
    id: isId(value.id) ? value.id : "",
    sop: text(value.sop) || "",
    kind: value.kind === "call" || value.kind === "start" ? value.kind : "step",
    step: isId(value.step) ? value.step : "",
    number: text(value.number) || "",
    title: text(value.title) || "",
    question: text(value.question) || null,
    answer: text(value.answer) || null,
    depth,
  };
}

/** A stored path as the guide may use it: only the fields it writes, as text, ids that are
    ids, and no more entries than a call could take. Anything else gives []. */
export function checkedPath(value) {
  if (!Array.isArray(value)) { return []; }
  return value.slice(-MAX_PATH).map(entryOf).filter(Boolean);
}

/** One entry as a line: "Step 3: Verify — Called Verify identity", "Situation: Inbound call";
    an entry of another SOP than `here` (an id) starts with its title in brackets. With
    `question`, the question answered comes before the answer (the call notes). */
export function entryText(entry, here, question) {
  const prefix = entry.id !== here ? "[" + entry.sop + "] " : "";
  if (entry.kind === "start") { return prefix + "Situation: " + entry.title; }
  const asked = question && entry.question ? entry.question + " " : "";
  return prefix + "Step " + entry.number + ": " + entry.title + (entry.answer ? " — " + asked + entry.answer : "");
}

/** Where Back goes from SOP `here` with `calls` open: to the last entry's step on this page
    ({kind: "step"}), to the situations ({kind: "situations"}), or to another SOP's page
    ({kind: "page", sop, step, calls}: the calls open there). From the first step of a called
    SOP that is the calling step (its call closed); after a hand-off, the SOP that handed over;
    just back from a call, the called SOP's last step (the call open again). null: nowhere
    (nothing done yet, or a path that does not fit the calls). */
export function backTarget(path, calls, here) {
  const last = path[path.length - 1];
  if (!last || (!last.step && last.kind !== "start")) { return null; }
  const n = calls.length;
  if (last.id === here) {
    if (last.depth !== n) { return null; }
    return last.kind === "start" ? { kind: "situations" } : { kind: "step", step: last.step };
  }
  if (!last.id) { return null; }
  const page = (open) => ({ kind: "page", sop: last.id, step: last.kind === "start" ? null : last.step, calls: open });
  const caller = calls[n - 1];
  if (last.depth === n - 1 && caller && caller.sop === last.id && caller.step === last.step) {
    return page(calls.slice(0, -1));  /* the step that called this SOP */
  }
  if (last.depth === n) { return page(calls); }  /* the SOP that handed over to this one */
  if (last.depth === n + 1 && n < MAX_CALLS) {  /* the SOP this one called, just come back from */
    const call = path.slice(0, -1).reverse().find((p) => p.kind === "call" && p.id === here && p.depth === n);
    if (call) { return page([...calls, { sop: call.id, step: call.step, title: call.sop, number: call.number }]); }
  }
  return null;
}
