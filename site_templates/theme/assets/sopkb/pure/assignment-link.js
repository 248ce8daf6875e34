/* An assignment without a server: the trainer's page puts it in a link's fragment (#a=…, never
   sent to any server, not even this site's); the learner's page reads it back; a completed one
   becomes a receipt that `sopkb report` checks (generator/sopkb/receipts). Pure: the time, the
   learner and the items are given, so Node tests every rule here directly. */

import { canonical, sha256 } from "./checksum.js";

export const FORMAT = "sopkb-receipt";

/* A link is typed, pasted and forwarded by people: it is read as untrusted data. Caps keep a
   crafted link from hanging the tab (every quiz it names is a fetch and a checklist row). */
export const MAX_QUIZZES = 200;
const MAX_LINK = 16384;  /* characters after #a= : 200 long quiz ids fit with room to spare */
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export function isId(x) { return typeof x === "string" && x.length <= 100 && ID.test(x); }

/** A date that exists: 9999-99-99 has the shape of one. */
export function isDay(x) {
  if (typeof x !== "string" || !DAY.test(x)) { return false; }
  const day = new Date(x + "T00:00:00Z");
  return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === x;
}

/** Every field a link may carry, and what it may hold. */
export const FIELDS = {
  v: (x) => x === 1,
  title: (x) => typeof x === "string" && x.trim().length > 0 && x.length <= 200,
  cohort: (x) => x === null || (typeof x === "string" && x.length <= 100),
  trainer: (x) => x === null || (typeof x === "string" && x.length <= 100),
  due: (x) => x === null || isDay(x),
  created: (x) => x === null || isDay(x),
  path: (x) => x === null || isId(x),
  quizzes: (x) => Array.isArray(x) && x.length <= MAX_QUIZZES && x.every(isId) &&
    x.every((id, i) => x.indexOf(id) === i),
};

/** Only the fields an assignment has, each of the right shape: links and saved copies alike. */
export function isSpec(spec) {
  if (!spec || typeof spec !== "object" || Array.isArray(spec)) { return false; }
  const keys = Object.keys(spec);
  return ["v", "title", "quizzes"].every((k) => keys.includes(k)) &&
    keys.every((k) => Object.prototype.hasOwnProperty.call(FIELDS, k) && FIELDS[k](spec[k])) &&
    (spec.quizzes.length > 0 || (spec.path !== null && spec.path !== undefined));
}

/** The fragment's value: the spec as JSON, UTF-8, base64url without padding. */
export function encode(spec) {
  let text = "";
  new TextEncoder().encode(JSON.stringify(spec)).forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** {spec} for a sound link, {problem} for one that is not, null when there is no link. */
export function decode(hash) {
  const match = /[#&]a=([^&]*)/.exec(hash || "");
  if (!match) { return null; }
  if (match[1].length > MAX_LINK) {
    return { problem: "This assignment link is too long to be one sopkb made (at most " + MAX_QUIZZES + " quizzes). Ask your trainer for a new link." };
  }
  const damaged = { problem: "This assignment link is damaged or incomplete. Ask your trainer to send it again." };
  let spec;
  try {
    const text = atob(match[1].replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    spec = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return damaged;
  }
  if (!isSpec(spec)) {
    return spec && Array.isArray(spec.quizzes) && spec.quizzes.length > MAX_QUIZZES
      ? { problem: "This assignment link names " + spec.quizzes.length + " quizzes; at most " + MAX_QUIZZES + " fit in one assignment. Ask your trainer to split it." }
      : damaged;
  }
  return { spec };
}

/** checksum.py's assignment_id: the spec hashed. */
export function assignmentId(spec) { return sha256(canonical(spec)).slice(0, 12); }

/** The day of `now` (UTC), as links and receipts write days: YYYY-MM-DD. */
export function today(now = new Date()) { return now.toISOString().slice(0, 10); }

/** "Cohort: … · Due … (past due) · From …", with `day` (YYYY-MM-DD) as today. */
export function describe(spec, day) {
  const parts = [];
  if (spec.cohort) { parts.push("Cohort: " + spec.cohort); }
  if (spec.due) { parts.push("Due " + spec.due + (spec.due < day ? " (past due)" : "")); }
  if (spec.trainer) { parts.push("From " + spec.trainer); }
  return parts.join(" · ");
}

/** The receipt of a complete assignment: `items` as the learning data files list them, `states`
    their progress states (each with its record), `issuedAt` an ISO time. */
export function receiptOf({ spec, items, states, site, learner, issuedAt }) {
  const quizzes = [];
  const sops = [];
  let latest = "";
  items.forEach((item, i) => {
    const record = states[i].record;
    if (item.kind === "sop") {
      sops.push({ sop: item.id, title: item.title, version: item.version, signed_at: record.at });
      latest = record.at > latest ? record.at : latest;
      return;
    }
    const best = record.bestAttempt;
    quizzes.push({
      id: item.id, title: item.title, version: item.fingerprint, sop: item.sop, pass_mark: item.passMark,
      score: best.score, right: best.right, total: best.total, passed: best.score >= item.passMark,
      attempts: record.attempts, answered_at: best.at, answers: best.answers,
    });
    latest = best.at > latest ? best.at : latest;
  });
  const receipt = {
    format: FORMAT, format_version: 1, site, learner,
    assignment: { id: assignmentId(spec), ...spec },
    quizzes, sops_read: sops, completed_at: latest, issued_at: issuedAt,
  };
  receipt.checksum = "sha256:" + sha256(canonical(receipt));
  return receipt;
}

/** A file name's part for a learner: "ana-silva". */
export function slug(text) {
  return (text || "learner").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "learner";
}
