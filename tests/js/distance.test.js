// Typo correction's edit distance: Damerau–Levenshtein with adjacent transpositions, cut off.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PURE } from "./python.js";

const { distance } = await import(new URL("distance.js", PURE));

/* The textbook recurrence, without a limit: what distance() must agree with up to its limit. */
function reference(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) { d[0][j] = j; }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1); }
    }
  }
  return d[a.length][b.length];
}

test("known distances", () => {
  assert.equal(distance("package", "package", 2), 0);
  assert.equal(distance("pakage", "package", 2), 1);      // a letter missing
  assert.equal(distance("trakcing", "tracking", 2), 1);   // two letters swapped count once
  assert.equal(distance("supervsior", "supervisor", 2), 1);
  assert.equal(distance("kitten", "sitting", 3), 3);
  assert.equal(distance("", "ab", 2), 2);
});

test("anything past the limit is limit + 1", () => {
  assert.equal(distance("kitten", "sitting", 2), 3);
  assert.equal(distance("abc", "xyz", 1), 2);
  assert.equal(distance("a", "abcd", 2), 3);             // lengths alone too far apart
});

test("agrees with the full recurrence on many word pairs", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const word = () => Array.from({ length: 1 + Math.floor(random() * 7) }, () => "abcde"[Math.floor(random() * 5)]).join("");
  for (let n = 0; n < 2000; n++) {
    const a = word(), b = word(), limit = 1 + Math.floor(random() * 2), full = reference(a, b);
    assert.equal(distance(a, b, limit), full <= limit ? full : limit + 1, `${a} ${b} ${limit}`);
    assert.equal(distance(a, b, limit), distance(b, a, limit), `symmetric: ${a} ${b}`);
  }
});
