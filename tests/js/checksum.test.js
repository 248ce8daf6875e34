// Receipt checksums: canonical JSON and SHA-256 exactly as receipts/checksum.py computes them.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { python, PURE } from "./python.js";

const { canonical, sha256 } = await import(new URL("checksum.js", PURE));

test("canonical() writes values as checksum.py's canonical()", () => {
  for (const [value, expected] of python.checksum.canonical) { assert.equal(canonical(value), expected, JSON.stringify(value)); }
});

test("sha256() hashes as hashlib does", () => {
  for (const [text, expected] of python.checksum.sha256) { assert.equal(sha256(text), expected, JSON.stringify(text)); }
});

test("sha256() of the standard test vectors, and of every length around a block", () => {
  assert.equal(sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  for (let n = 0; n < 200; n++) {
    const text = "é".repeat(n % 7) + "x".repeat(n);
    assert.equal(sha256(text), createHash("sha256").update(text, "utf8").digest("hex"), `length ${n}`);
  }
});

test("keys are ordered by code point, as Python sorts them", () => {
  assert.equal(canonical({ "🙂": 1, "\ufffd": 2 }), '{"\ufffd":2,"🙂":1}');
  assert.equal(canonical({ b: { d: 1, c: [2, { f: 3, e: 4 }] }, a: null }), '{"a":null,"b":{"c":[2,{"e":4,"f":3}],"d":1}}');
});
