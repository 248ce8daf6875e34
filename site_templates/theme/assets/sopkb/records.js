/* Who is learning on this browser, and everything kept under their name. Training-room desks
   are shared, so progress (quizzes, sign-offs, assignments) is stored per learner name. Records
   made before anyone gave a name stay under the old keys and are adopted by the first name
   given. A change of learner is told to every component as a `sopkb:learner` event. */

import { announce, el, local } from "./core.js";

const CURRENT = "sopkb.learner";
const KNOWN = "sopkb.learners";
const KINDS = ["quiz", "ack", "seen", "assignment"];

function isName(value) { return typeof value === "string" && value.length > 0 && value.length <= 80; }

/** The current learner's name, or "" when nobody gave one. */
export function name() { const who = local.read(CURRENT); return isName(who) ? who : ""; }

/** Every name given on this browser. */
export function names() { const known = local.read(KNOWN); return Array.isArray(known) ? known.filter(isName) : []; }

function prefix(who, kind) {
  return "sopkb." + (who ? "learner." + encodeURIComponent(who) + "." : "") + kind + ".";
}

/** A record of the current learner; read back as untrusted: a mapping or nothing. */
export function get(kind, id) {
  const record = local.read(prefix(name(), kind) + id);
  return record && typeof record === "object" && !Array.isArray(record) ? record : null;
}

/** Keeps a record of the current learner; false (and the page says so) when nothing was kept. */
export function set(kind, id, value) {
  const saved = local.write(prefix(name(), kind) + id, value);
  if (!saved) { warnNotSaved(); }
  return saved;
}

/** Every record of one kind for the current learner, as {id: record}. */
export function all(kind) {
  const start = prefix(name(), kind);
  const out = Object.create(null);  /* keyed by ids read from storage: no inherited keys */
  for (const key of local.keys()) {
    const id = key.slice(start.length);
    /* Only ids (no dots): the records of a learner named "Ana.quiz.x" start with Ana's prefix too. */
    if (key.startsWith(start) && /^[a-z0-9-]+$/.test(id)) {
      const record = get(kind, id);
      if (record) { out[id] = record; }
    }
  }
  return out;
}

/* ---- Storage that keeps nothing: say so, once per page, where it is seen. ---- */

/** "<what> could not be saved …", as an alert paragraph to put next to what was not kept. */
export function notSavedMessage(what) {
  return el("p", { class: "sopkb-not-saved", role: "alert" },
    what + " could not be saved in this browser (its storage is full or switched off), " +
    "so it will be gone when you leave this page. Ask your trainer or IT to allow this site to store data.");
}

function warnNotSaved() {
  const content = document.querySelector(".md-content__inner") || document.body;
  if (!content || content.querySelector("[data-not-saved]")) { return; }
  const banner = notSavedMessage("Your progress");
  banner.setAttribute("data-not-saved", "");
  content.insertBefore(banner, content.firstChild);
  announce(banner.textContent);
}

function adoptAnonymous(who) {
  for (const kind of KINDS) {
    const from = prefix("", kind);
    for (const key of local.keys().filter((k) => k.startsWith(from))) {
      /* full: the old record stays where it is */
      if (!local.move(key, prefix(who, kind) + key.slice(from.length))) { warnNotSaved(); }
    }
  }
}

/** Learn as `who` from now on (spaces tidied, at most 80 characters). */
export function setName(who) {
  who = (who || "").replace(/\s+/g, " ").trim().slice(0, 80);
  if (!who) { return; }
  const known = names();
  if (!known.includes(who)) {
    if (!known.length) { adoptAnonymous(who); }
    known.push(who);
    if (!local.write(KNOWN, known)) { warnNotSaved(); }
  }
  if (!local.write(CURRENT, who)) { warnNotSaved(); }
  document.dispatchEvent(new CustomEvent("sopkb:learner", { detail: who }));
}

/** Run `fn` whenever the learner changes. */
export function onLearnerChange(fn) {
  document.addEventListener("sopkb:learner", () => fn());
}
