// Assignment links and receipts: read as untrusted input, written as `sopkb report` reads them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { python, PURE } from "./python.js";

const link = await import(new URL("assignment-link.js", PURE));

const SPEC = { v: 1, title: "Week 1: deliveries ✓", cohort: "Ana's", due: "2026-12-01", trainer: "Bo",
  path: "billing-basics", quizzes: ["a", "b-c"], created: "2026-11-23" };

function hashOf(value) {
  return "#a=" + Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8").toString("base64url");
}

test("a link carries its assignment there and back", () => {
  const hash = "#a=" + link.encode(SPEC);
  assert.match(hash, /^#a=[A-Za-z0-9_-]+$/);                    // base64url, nothing to escape in a URL
  assert.deepEqual(link.decode(hash), { spec: SPEC });
  assert.deepEqual(link.decode("#x=1&a=" + link.encode(SPEC)), { spec: SPEC });
});

test("no link, or a damaged one", () => {
  assert.equal(link.decode(""), null);
  assert.equal(link.decode("#guided"), null);
  const damaged = /damaged or incomplete/;
  assert.match(link.decode("#a=!!!").problem, damaged);                  // not base64
  assert.match(link.decode(hashOf("{not json")).problem, damaged);
  assert.match(link.decode("#a=" + Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url")).problem, damaged);  // not UTF-8
  assert.match(link.decode("#a=" + "A".repeat(20000)).problem, /too long/);
});

test("only the fields an assignment has, each of the right shape", () => {
  const bad = [
    { ...SPEC, extra: 1 }, { ...SPEC, v: 2 }, { ...SPEC, title: " " }, { ...SPEC, title: "x".repeat(201) },
    { ...SPEC, due: "9999-99-99" }, { ...SPEC, due: "2026-02-30" }, { ...SPEC, created: "yesterday" },
    { ...SPEC, path: "../x" }, { ...SPEC, quizzes: ["a", "a"] }, { ...SPEC, quizzes: ["A"] },
    { ...SPEC, path: null, quizzes: [] }, { ...SPEC, cohort: 5 }, [SPEC], null, "x",
    { v: 1, title: "t" },
  ];
  for (const spec of bad) {
    assert.equal(link.isSpec(spec), false, JSON.stringify(spec));
    assert.match(link.decode(hashOf(spec)).problem, /damaged/, JSON.stringify(spec));
  }
  assert.equal(link.isSpec({ v: 1, title: "t", quizzes: ["q"] }), true);
  assert.equal(link.isSpec({ ...SPEC, due: "2028-02-29" }), true);    // a leap day exists
  assert.equal(link.isDay("2027-02-29"), false);
});

test("too many quizzes are named as such", () => {
  const quizzes = Array.from({ length: link.MAX_QUIZZES + 1 }, (_, i) => "q" + i);
  assert.match(link.decode(hashOf({ ...SPEC, quizzes })).problem, /names 201 quizzes; at most 200/);
});

test("an assignment's id is checksum.py's assignment_id()", () => {
  for (const [spec, expected] of python.checksum.assignmentIds) { assert.equal(link.assignmentId(spec), expected); }
});

test("the receipt is the one Python builds and accepts, checksum included", () => {
  const { given, receipt } = python.checksum.receipt;
  assert.deepEqual(link.receiptOf(given), receipt);
});

test("describe, slug, today", () => {
  assert.equal(link.describe(SPEC, "2026-11-23"), "Cohort: Ana's · Due 2026-12-01 · From Bo");
  assert.equal(link.describe(SPEC, "2026-12-02"), "Cohort: Ana's · Due 2026-12-01 (past due) · From Bo");
  assert.equal(link.describe({ v: 1, title: "t", quizzes: ["q"] }, "2026-01-01"), "");
  assert.equal(link.slug("Ana Silva!"), "ana-silva");
  assert.equal(link.slug("中文"), "learner");
  assert.equal(link.today(new Date("2026-11-23T23:59:59Z")), "2026-11-23");
});
