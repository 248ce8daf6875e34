/* The search index, as the build wrote it (generator/sopkb/search/index.py): a manifest, term
   shards keyed by a term's first letters, and small buckets of result summaries. A query fetches
   only the shards of its words and the buckets of the results shown, so a first search stays
   small however many SOPs the KB holds. Each word is expanded with KB synonyms, with completions
   while it is still being typed, and with one- or two-letter typo corrections when it is not in
   the index. */

import { fetchJson } from "./core.js";
import { distance } from "./pure/distance.js";
import { fileName, fnv1a, phrases, stem, words } from "./pure/search-text.js";

const WEIGHT = { exact: 1, synonym: 0.8, prefix: 0.75, typo: 0.55, typo2: 0.35 };

function has(table, key) { return Object.prototype.hasOwnProperty.call(table, key); }

let folder = null;     // URL of the index folder
let manifest = null;   // Promise of the manifest
/* Maps keyed by words are prototype-free: a query such as "constructor" is a word to look up,
   never a property of Object.prototype. */
const decoded = Object.create(null);      // term -> {df, docs: Int32Array, impacts: Uint8Array}
const conceptsOf = Object.create(null);   // stem -> the synonym groups' terms it belongs to
const membersOf = Object.create(null);    // group term -> its stems
const stopwords = Object.create(null);
const known = Object.create(null);        // shard keys of two characters or fewer that exist
const directoryKeys = Object.create(null); // two-letter groups split into longer keys, listed in a directory file
const spellingKeys = Object.create(null);

/** Use the index in `url` (the folder's address, as the page gives it). */
export function useIndex(url) { folder = url; }

/** An index file, fetched once per page life (a failed fetch is forgotten, to retry later). */
function indexFile(path) {
  return manifest.then((m) => fetchJson(new URL(path + "?v=" + m.build, folder).href));
}

function learn(m) {
  m.stopwords.forEach((w) => { stopwords[w] = true; });
  m.shards.forEach((k) => { known[k] = true; });
  m.directories.forEach((k) => { directoryKeys[k] = true; });
  m.spellings.forEach((k) => { spellingKeys[k] = true; });
  m.synonyms.forEach((group) => {
    const concept = "~" + group[0];  // index.py's concept(): the group's postings in one term
    membersOf[concept] = group;
    group.forEach((member) => { (conceptsOf[member] = conceptsOf[member] || []).push(concept); });
  });
  return m;
}

/** The manifest (4 KB), fetched once; a failure is tried again on the next call. */
export function loadManifest() {
  if (manifest) { return manifest; }
  manifest = fetch(new URL("manifest.json", folder).href, { cache: "no-cache" })
    .then((response) => {
      if (!response.ok) { throw new Error("search index missing: HTTP " + response.status); }
      return response.json();
    })
    .then(learn);
  manifest.catch(() => { manifest = null; });  // try again on the next keystroke
  return manifest;
}

/* The shard holding `term`: the longest of its prefixes that names one (index.py splits big
   shards by a longer prefix). Split groups list their shards in a small directory file. */
function keyFor(term) {
  const chars = Array.from(term), group = chars.slice(0, 2).join("");
  if (!directoryKeys[group]) { return Promise.resolve(known[group] ? group : null); }
  return indexFile("k/" + fileName(group) + ".json").then((keys) => {
    for (let n = chars.length; n > 0; n--) {
      const key = chars.slice(0, n).join("");
      if (keys.includes(key)) { return key; }
    }
    return null;
  });
}

function shard(term) {
  return keyFor(term).then((key) => key === null ? {} : indexFile("t/" + fileName(key) + ".json"));
}

function postings(table, term) {
  if (decoded[term]) { return decoded[term]; }
  const raw = table[term];
  const count = (raw.length - 1) / 2;
  const docs = new Int32Array(count), impacts = new Uint8Array(count);
  let doc = 0;
  for (let i = 0; i < count; i++) {
    doc += raw[1 + 2 * i];
    docs[i] = doc;
    impacts[i] = raw[2 + 2 * i];
  }
  decoded[term] = { df: raw[0], docs, impacts };
  return decoded[term];
}

/* ---- query ---- */

/** Whether `query` has a word search can look for. */
export function isEmpty(query) { return !words(query).length; }

function analyse(query) {
  const all = words(query);
  const typing = all.length > 0 && !/\s$/.test(query);
  const kept = all.filter((w) => !stopwords[w]);
  return all.map((word, i) => ({ word, stem: stem(word), last: typing && i === all.length - 1, stop: !!stopwords[word] }))
    .filter((t) => !t.stop || kept.length === 0);
}

/* Known words sharing the first two letters of `s` (a slip in those is not corrected: the
   lists would have to be fetched for every possible pair). */
function spellingList(s) {
  const key = s.slice(0, 2);
  return spellingKeys[key] ? indexFile("w/" + fileName(key) + ".json") : Promise.resolve([]);
}

function offer(found, term, table, weight) {
  if (!has(table, term)) { return; }
  if (!found[term] || found[term].weight < weight) { found[term] = { table, weight }; }
}

/* Completions of the word still being typed, shortest and commonest first. */
function complete(found, token, home) {
  const s = token.stem;
  const completions = Object.keys(home).filter((t) => t !== s && (t.startsWith(token.word) || t.startsWith(s)));
  completions.sort((a, b) => a.length - b.length || (home[b][0] - home[a][0]));
  completions.slice(0, 8).forEach((t) => offer(found, t, home, WEIGHT.prefix));
}

/* Not in the index: what the agent meant, one (or, in a long word, two) slips away. */
function correct(found, token) {
  const s = token.stem;
  const limit = token.word.length >= 7 ? 2 : 1;
  return spellingList(s).then((list) => {
    const near = list.map((t) => ({ term: t, d: Math.min(distance(s, t, limit), distance(token.word, t, limit)) }))
      .filter((n) => n.d <= limit);
    near.sort((a, b) => a.d - b.d);
    const closest = near.slice(0, 6);
    return Promise.all(closest.map((n) => shard(n.term))).then((tables) => {
      closest.forEach((n, i) => offer(found, n.term, tables[i], n.d === 1 ? WEIGHT.typo : WEIGHT.typo2));
      return found;
    });
  });
}

/* Every index term that may stand for this word, with how much a match on it counts. */
function expand(token) {
  const s = token.stem, concepts = conceptsOf[s] || [];
  const sources = [s].concat(concepts);
  if (token.last && token.word !== s) { sources.push(token.word); }
  return Promise.all(sources.map(shard)).then((tables) => {
    const found = Object.create(null);
    tables.forEach((table) => {
      offer(found, s, table, WEIGHT.exact);
      concepts.forEach((c) => offer(found, c, table, WEIGHT.synonym));
    });
    if (token.last && token.word.length >= 2) { complete(found, token, tables[0]); }
    if (Object.keys(found).length || s.length < 4) { return found; }
    return correct(found, token);
  });
}

function pairShard(term) {
  return manifest.then((m) => m.pairs ? indexFile("p/" + (fnv1a(term) % m.pairs) + ".json") : {});
}

function lookupPhrase(term) {
  return pairShard(term).then((table) => {
    const found = Object.create(null);
    if (has(table, term)) { found[term] = { table, weight: WEIGHT.exact }; }
    return found;
  });
}

function idf(docs, df) { return Math.log(1 + (docs - df + 0.5) / (df + 0.5)); }

/* Best score per SOP for one query word. A word and its synonyms, completions or corrections
   are one concept: they share one idf, computed as if they were one term, so a rare synonym
   cannot outweigh the word the agent actually typed. */
function conceptScores(found, m) {
  const best = new Map(), lists = Object.create(null);
  let df = 0, groupDf = 0;
  Object.keys(found).forEach((term) => {
    lists[term] = postings(found[term].table, term);
    if (membersOf[term]) { groupDf = Math.max(groupDf, lists[term].df); } else { df += lists[term].df; }
  });
  // A group term already counts the SOPs of the word itself: take the larger, not the sum.
  const shared = idf(m.docs, Math.min(Math.max(df, groupDf), m.docs)) / 255;
  Object.keys(found).forEach((term) => {
    const list = lists[term], weight = found[term].weight * shared;
    for (let i = 0; i < list.docs.length; i++) {
      const score = weight * list.impacts[i], doc = list.docs[i];
      if (!(best.get(doc) >= score)) { best.set(doc, score); }
    }
  });
  return best;
}

/* Hits, best first, from each token's (then each pair's) expansions. */
function score(tokens, expansions, m) {
  const scores = new Map(), matched = new Map(), terms = Object.create(null);
  expansions.forEach((found, t) => {
    Object.keys(found).forEach((term) => {
      (membersOf[term] || [term]).forEach((member) => { terms[member] = true; });
    });
    conceptScores(found, m).forEach((value, doc) => {
      scores.set(doc, (scores.get(doc) || 0) + value);
      if (t < tokens.length) { matched.set(doc, (matched.get(doc) || 0) + 1); }
    });
  });
  const hits = [];
  let everyWord = 0;
  scores.forEach((value, doc) => {
    // An SOP that matches every word the agent typed beats one that matches a word strongly.
    const count = matched.get(doc) || 0, coverage = count / tokens.length;
    if (count === tokens.length) { everyWord++; }
    hits.push({ doc, score: value * coverage * coverage });
  });
  hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return { hits, terms, everyWord };
}

/** The SOPs matching `query`, ranked: {tokens, hits, terms, everyWord, pairPending}. `hits` holds
    every SOP matching any word (ranked, so the best come first); `everyWord` counts those matching
    every word (a synonym, completion or correction of it counts), which is what "N SOPs match"
    means to an agent. `lastPair`: also look
    up the pair ending in the word still being typed. search.js ranks without it first, so the
    first results never wait on that fetch; then with it, when the word has turned out to be a
    known one (each half-typed pair would cost a fetch). */
export function rank(query, lastPair) {
  const tokens = analyse(query);
  if (!tokens.length) { return Promise.resolve({ tokens, hits: [], terms: Object.create(null), everyWord: 0 }); }
  return loadManifest().then((m) => {
    const all = words(query), pairs = phrases(query);
    const typing = !/\s$/.test(query) && !stopwords[all[all.length - 1]];
    if (typing && !lastPair) { pairs.pop(); }
    const pending = tokens.map(expand).concat(pairs.map(lookupPhrase));
    return Promise.all(pending).then((expansions) => {
      const last = tokens[tokens.length - 1];
      const pairPending = typing && !lastPair && pairs.length < all.length - 1 &&
        last.last && last.stem in expansions[tokens.length - 1];
      return { tokens, pairPending, ...score(tokens, expansions, m) };
    });
  });
}

/** The result summaries of `hits`: {title, url (from the site root), summary, category, score}. */
export function documents(hits) {
  return loadManifest().then((m) => Promise.all(hits.map((hit) =>
    indexFile("d/" + Math.floor(hit.doc / m.bucket) + ".json").then((rows) => {
      const row = rows[hit.doc % m.bucket];
      return { title: row[0], url: row[1], summary: row[2], category: row[3], score: hit.score };
    }))));
}
