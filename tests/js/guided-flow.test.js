// Guided mode's countdown arithmetic and the checks on a stored call stack.
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
