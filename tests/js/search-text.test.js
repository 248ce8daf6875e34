// Search words as the index has them: the browser must reproduce every term text.py wrote.
import assert from "node:assert/strict";
import { test } from "node:test";
import { python, PURE } from "./python.js";

const { fileName, fnv1a, phrases, stem, words } = await import(new URL("search-text.js", PURE));

test("words() splits and folds text as text.py's words()", () => {
  for (const [text, expected] of python.search.words) { assert.deepEqual(words(text), expected, text); }
});

test("stem() strips the suffixes text.py's stem() strips", () => {
  for (const [word, expected] of python.search.stems) { assert.equal(stem(word), expected, word); }
});

test("phrases() pairs stems as text.py's pairs()", () => {
  for (const [text, expected] of python.search.pairs) { assert.deepEqual(phrases(text), expected, text); }
});

test("fileName() names shards as text.py's file_name()", () => {
  for (const [key, expected] of python.search.fileNames) { assert.equal(fileName(key), expected, key); }
});

test("fnv1a() hashes pairs to text.py's shards", () => {
  for (const [text, expected] of python.search.fnv1a) { assert.equal(fnv1a(text), expected, text); }
});

test("a word and its forms meet on one stem", () => {
  assert.equal(stem("packages"), stem("package"));
  assert.equal(stem("escalated"), stem("escalation"));
  assert.equal(stem("deliveries"), "delivery");
  assert.equal(stem("bus"), "bus");  // -us is not a plural
  assert.deepEqual(words("Didn’t ARRIVE, résumé"), ["didnt", "arrive", "resume"]);
});
