/* The state of each thing a learner has to do (read and sign an SOP, pass a quiz), from the
   records kept under their name. Path pages, "My learning", quiz lists and assignments all show
   items through these functions, so they always agree. */

import * as learner from "./records.js";

/** The date part of an ISO time. */
export function day(iso) { return typeof iso === "string" ? iso.slice(0, 10) : ""; }

/** The record for this version of the quiz; an older version's result is kept only as history
    (`changed`). */
export function quizRecord(id, fingerprint) {
  const record = learner.get("quiz", id);
  if (record && record.fingerprint === fingerprint) { return { record, changed: null }; }
  return { record: null, changed: record };
}

/** "Passed · best 80%", for a quiz's record (or "Not started"). */
export function describeQuiz(record) {
  if (!record) { return "Not started"; }
  return (record.passed ? "Passed" : "Not passed yet") + " · best " + record.best + "%";
}

/** An SOP counts as read once signed at its current version; an older signature is outdated. */
export function sopState(id, version) {
  const ack = learner.get("ack", id);
  if (ack && ack.version === version) {
    return { state: "done", text: "Signed version " + version + " on " + day(ack.at), record: ack };
  }
  if (ack) {
    return { state: "outdated", text: "You signed version " + ack.version + "; now version " + version + ": read it again and sign", record: ack };
  }
  return learner.get("seen", id) ? { state: "started", text: "Opened, not signed yet" } : { state: "new", text: "Not started" };
}

export function quizState(id, fingerprint, passMark) {
  const { record, changed } = quizRecord(id, fingerprint);
  if (record && record.passed) { return { state: "done", text: "Passed · best " + record.best + "%", record }; }
  if (record) { return { state: "started", text: "Not passed yet · best " + record.best + "%" + (passMark ? " (pass mark " + passMark + "%)" : "") }; }
  if (changed) { return { state: "outdated", text: "Changed since your last attempt: take it again" }; }
  return { state: "new", text: "Not started" };
}

/** The state of an item as the learning data lists it: {kind: "sop", id, version} or
    {kind: "quiz", id, fingerprint, passMark}. */
export function itemState(item) {
  return item.kind === "sop" ? sopState(item.id, item.version) : quizState(item.id, item.fingerprint, item.passMark);
}
