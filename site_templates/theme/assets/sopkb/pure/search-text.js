/* Words as the search index sees them: mirrors generator/sopkb/text/words.py exactly (a node
   test compares both on the same inputs, tests/js/search-text.test.js). Pure: no DOM, no
   network, so Node imports it as it is. */

const APOSTROPHES = /['\u2018\u2019`]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const COMBINING = /\p{M}/gu;
const LETTERS = /^\p{L}+$/u;

/** Lower-case words without accents; an apostrophe joins (didn't → didnt), anything else splits. */
export function words(text) {
  const clean = text.normalize("NFKD").replace(COMBINING, "").toLowerCase().replace(APOSTROPHES, "");
  return clean.split(SEPARATORS).filter(Boolean);
}

function endsWithAny(word, endings) {
  return endings.some((ending) => word.endsWith(ending));
}

/** words.py's small suffix stripper: plurals, -ing, -ed, -ation, a doubled last letter, final e. */
export function stem(word) {
  if (word.length <= 3 || !LETTERS.test(word)) { return word; }
  if (word.endsWith("ies") && word.length > 4) { word = word.slice(0, -3) + "y"; }
  else if (word.endsWith("sses")) { word = word.slice(0, -2); }
  else if (word.endsWith("s") && !endsWithAny(word, ["ss", "us", "is"])) { word = word.slice(0, -1); }
  if (word.endsWith("ing") && word.length >= 6) { word = word.slice(0, -3); }
  else if (word.endsWith("ed") && word.length >= 5) { word = word.slice(0, -2); }
  else if (word.endsWith("ation") && word.length >= 7) { word = word.slice(0, -5) + "ate"; }
  const last = word.charAt(word.length - 1);
  if (word.length >= 4 && last === word.charAt(word.length - 2) && !"aeiouylsz".includes(last)) {
    word = word.slice(0, -1);
  }
  if (word.endsWith("e") && word.length > 4) { word = word.slice(0, -1); }
  return word;
}

/** Word pairs, stemmed, stopwords kept: words.py's pairs(), the index's phrase terms. */
export function phrases(text) {
  const stems = words(text).map(stem);
  return stems.slice(1).map((second, i) => stems[i] + " " + second);
}

/** A shard file's name: words.py's file_name. */
export function fileName(key) {
  if (/^[a-z0-9]+$/.test(key)) { return key; }
  return "u" + Array.from(key, (c) => c.codePointAt(0).toString(16)).join("-");
}

/** 32-bit FNV-1a of the UTF-8 bytes, as words.py's fnv1a. */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) { h = Math.imul(h ^ byte, 0x01000193) >>> 0; }
  return h;
}
