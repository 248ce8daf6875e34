// Guided mode: the countdown arithmetic, the checks on a stored call stack and path, what a path entry says, and where Back goes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PURE } from "./python.js";

const { clock, Countdown } = await import(new URL("countdown.js", PURE));
const { checkedCalls, MAX_CALLS } = await import(new URL("call-stack.js", PURE));

test("the clock shows minutes and seconds, rounded up, never negative", () => {
  assert.equal(clock(600), "10:00");
  assert.equal(clock(30), "00:30");
  assert.equal(clock(29.2), "00:30");
  assert.equal(clock(0.01), "00:01");
  assert.equal(clock(0), "00:00");
  assert.equal(clock(-3), "00:00");
  assert.equal(clock(61), "01:01");
});

test("a countdown runs, pauses, resumes, ends and resets", () => {
  const c = new Countdown(30000);
  assert.equal(c.leftMs(0), 30000);
  assert.equal(c.running, false);
  c.start(1000);
  assert.equal(c.leftMs(11000), 20000);
  c.pause(11000);
  assert.equal(c.leftMs(50000), 20000, "paused: the time left stays");
  c.start(60000);
  c.start(61000);  // already running: no restart
  assert.equal(c.leftMs(70000), 10000);
  assert.equal(c.over(79999), false);
  assert.equal(c.over(80000), true);
  assert.equal(c.leftMs(99000), 0);
  c.pause(99000);
  c.start(100000);  // over: does not start again
  assert.equal(c.running, false);
  c.reset();
  assert.equal(c.leftMs(200000), 30000);
});

test("a stored call stack is used only when every frame is whole", () => {
  const frame = { sop: "callback", step: "verify", title: "Callback request", number: "3" };
  assert.deepEqual(checkedCalls([frame]), [frame]);
  assert.deepEqual(checkedCalls([frame, { ...frame, sop: "identity", step: "address" }]).length, 2);
  assert.deepEqual(checkedCalls([{ ...frame, extra: "<b>" }]), [frame], "unknown fields are dropped");
  for (const bad of [
    null, "x", {}, [null], [[]], [{ ...frame, sop: "../evil" }], [{ ...frame, sop: ["javascript", "alert(1)"].join(":") }],
    [{ ...frame, step: "__proto__" }], [{ ...frame, title: "" }], [{ ...frame, title: "x".repeat(501) }],
    [{ ...frame, number: 3 }], [frame, { ...frame, sop: "Bad Id" }],
    Array(MAX_CALLS + 1).fill(frame),
  ]) {
    assert.deepEqual(checkedCalls(bad), [], JSON.stringify(bad));
  }
});

const { callsAfterHandOff, isId } = await import(new URL("call-stack.js", PURE));
const { backTarget, checkedPath, entryText, MAX_PATH } = await import(new URL("guided-path.js", PURE));

const A = { sop: "callback", step: "verify", title: "Callback request", number: "3" };
const B = { sop: "identity", step: "address", title: "Verify identity", number: "2" };

test("ids are ids: never a path, a scheme or an object's own key", () => {
  assert.equal(isId("ask-name"), true);
  const scheme = ["javascript", "x"].join(":");
  for (const bad of ["", "../x", "a/b", "Ask", scheme, "a--b", "-a", "__proto__", 3, null]) {
    assert.equal(isId(bad), false, String(bad));
  }
});

test("a hand-off from a called SOP keeps its calls open, unless it goes into a caller", () => {
  assert.deepEqual(callsAfterHandOff([A, B], "address"), [A, B], "to another SOP: still comes back");
  assert.deepEqual(callsAfterHandOff([A, B], "identity"), [A], "into the caller: its call is over");
  assert.deepEqual(callsAfterHandOff([A, B], "callback"), [], "into the first caller: every call is over");
  assert.deepEqual(callsAfterHandOff([], "callback"), []);
});

/* Entries as the guide records them. */
const entry = (fields) => ({ id: "callback", sop: "Callback request", kind: "step", step: "greet", number: "2",
  title: "Greet the customer", question: null, answer: null, depth: 0, ...fields });
const situation = entry({ kind: "start", number: "", title: "Inbound call" });
const called = entry({ kind: "call", step: "verify", number: "3", title: "Verify the customer", answer: "Called Verify identity" });
const inB = entry({ id: "identity", sop: "Verify identity", step: "ask-name", number: "1", title: "Ask for the full name", depth: 1 });

test("a path entry reads as a line, naming its SOP when it is another's, never 'null'", () => {
  assert.equal(entryText(called, "callback", true), "Step 3: Verify the customer — Called Verify identity");
  assert.equal(entryText(entry({ answer: "No answer after 3 seconds" }), "callback", true),
    "Step 2: Greet the customer — No answer after 3 seconds");
  const answered = entry({ question: "Did Tier 2 answer?", answer: "Yes" });
  assert.equal(entryText(answered, "callback", true), "Step 2: Greet the customer — Did Tier 2 answer? Yes");
  assert.equal(entryText(answered, "callback", false), "Step 2: Greet the customer — Yes", "the path list: the answer only");
  assert.equal(entryText(entry({}), "callback", true), "Step 2: Greet the customer");
  assert.equal(entryText(called, "identity", false), "[Callback request] Step 3: Verify the customer — Called Verify identity");
  assert.equal(entryText(inB, "callback", true), "[Verify identity] Step 1: Ask for the full name");
  assert.equal(entryText(situation, "callback", true), "Situation: Inbound call");
  assert.equal(entryText(situation, "identity", true), "[Callback request] Situation: Inbound call");
  for (const p of [called, inB, situation, entry({ answer: "x" })]) {
    assert.doesNotMatch(entryText(p, "callback", true), /null|undefined/);
  }
});

test("a carried path keeps only what the guide writes, checked", () => {
  assert.deepEqual(checkedPath([called, inB, situation]), [called, inB, situation]);
  for (const bad of [null, "x", {}, 3]) { assert.deepEqual(checkedPath(bad), []); }
  const [forged] = checkedPath([{ id: ["javascript", "alert(1)"].join(":"), step: "../x", kind: "<b>", depth: 99, question: 5,
    answer: "", sop: "x".repeat(600), extra: "y" }]);
  assert.deepEqual(forged, { id: "", sop: "x".repeat(500), kind: "step", step: "", number: "", title: "",
    question: null, answer: null, depth: -1 });
  assert.deepEqual(checkedPath([null, [], called]), [called]);
  assert.equal(checkedPath(Array(MAX_PATH + 5).fill(called)).length, MAX_PATH);
  assert.equal(checkedPath([{ ...called, depth: 1.5 }])[0].depth, -1);
});

test("Back goes to the step before, in whichever SOP it was", () => {
  // on this page: the step, or the situations
  assert.deepEqual(backTarget([situation, entry({})], [], "callback"), { kind: "step", step: "greet" });
  assert.deepEqual(backTarget([situation], [], "callback"), { kind: "situations" });
  assert.equal(backTarget([], [], "callback"), null, "nothing done yet");
  // the first step of a called SOP: back to the calling step, its call closed
  assert.deepEqual(backTarget([situation, called], [A], "identity"),
    { kind: "page", sop: "callback", step: "verify", calls: [] });
  // handed over (inside a call): back to the SOP that handed over, the call still open
  const handing = entry({ id: "identity", sop: "Verify identity", step: "passphrase", number: "3", depth: 1 });
  assert.deepEqual(backTarget([called, handing], [A], "address"),
    { kind: "page", sop: "identity", step: "passphrase", calls: [A] });
  // just back from a call: the called SOP's last step, with the call open again
  assert.deepEqual(backTarget([called, inB], [], "callback"),
    { kind: "page", sop: "identity", step: "ask-name", calls: [A] });
  // a situation chosen in another SOP: its situations
  assert.deepEqual(backTarget([entry({ ...situation, depth: 1, id: "identity" })], [A], "address"),
    { kind: "page", sop: "identity", step: null, calls: [A] });
});

test("Back goes nowhere when the path does not fit the calls open", () => {
  assert.equal(backTarget([entry({ depth: 1 })], [], "callback"), null, "this SOP, at another depth");
  assert.equal(backTarget([inB], [], "callback"), null, "back from a call never made");
  assert.equal(backTarget([entry({ kind: "call", depth: 0 })], [B], "address"), null, "not the call that is open");
  assert.equal(backTarget([entry({ id: "" })], [], "callback"), null, "an SOP not named");
  assert.equal(backTarget([entry({ step: "" })], [], "callback"), null, "a step not named");
  assert.equal(backTarget([entry({ depth: -1, id: "other" })], [], "callback"), null);
});
