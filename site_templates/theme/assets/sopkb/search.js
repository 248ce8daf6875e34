/* sopkb search: finds the SOP from the customer's own words while the customer is on the line.

   The index is static files written at build time (generator/sopkb/search/index.py): a manifest,
   term shards keyed by a term's first two letters, and small buckets of result summaries. A query
   fetches only the shards of its words and the buckets of the results shown, so a first search
   stays small however many SOPs the KB holds. Words are normalised and stemmed exactly as the
   Python side does (a test checks both agree), then each word is expanded with KB synonyms, with
   completions while it is still being typed, and with one- or two-letter typo corrections when it
   is not in the index. All same-origin, no network beyond this site. */
(function () {
  "use strict";
  if (window.sopkbSearch) { return; }  // the header survives instant navigation; bind once

  var FOLDER = "search-index/";
  var SHOWN = 10;
  var WEIGHT = { exact: 1, synonym: 0.8, prefix: 0.75, typo: 0.55, typo2: 0.35 };

  /* ---- text: mirrors generator/sopkb/search/text.py ---- */
  var APOSTROPHES = /['\u2018\u2019`]/g;
  var SEPARATORS = /[^\p{L}\p{N}]+/u;
  var COMBINING = /\p{M}/gu;
  var LETTERS = /^\p{L}+$/u;

  function words(text) {
    var clean = text.normalize("NFKD").replace(COMBINING, "").toLowerCase().replace(APOSTROPHES, "");
    return clean.split(SEPARATORS).filter(Boolean);
  }

  function endsWithAny(word, endings) {
    for (var i = 0; i < endings.length; i++) { if (word.endsWith(endings[i])) { return true; } }
    return false;
  }

  function stem(word) {
    if (word.length <= 3 || !LETTERS.test(word)) { return word; }
    if (word.endsWith("ies") && word.length > 4) { word = word.slice(0, -3) + "y"; }
    else if (word.endsWith("sses")) { word = word.slice(0, -2); }
    else if (word.endsWith("s") && !endsWithAny(word, ["ss", "us", "is"])) { word = word.slice(0, -1); }
    if (word.endsWith("ing") && word.length >= 6) { word = word.slice(0, -3); }
    else if (word.endsWith("ed") && word.length >= 5) { word = word.slice(0, -2); }
    else if (word.endsWith("ation") && word.length >= 7) { word = word.slice(0, -5) + "ate"; }
    var last = word.charAt(word.length - 1);
    if (word.length >= 4 && last === word.charAt(word.length - 2) && "aeiouylsz".indexOf(last) < 0) {
      word = word.slice(0, -1);
    }
    if (word.endsWith("e") && word.length > 4) { word = word.slice(0, -1); }
    return word;
  }

  /* A shard file's name: mirrors text.py's file_name. */
  function fileName(key) {
    if (/^[a-z0-9]+$/.test(key)) { return key; }
    return "u" + Array.from(key).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  /* Damerau–Levenshtein (adjacent transpositions), giving up once past `limit`. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) { rows.push([i]); }
    for (j = 1; j <= b.length; j++) { rows[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      var best = limit + 1;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1)) {
          d = Math.min(d, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = d;
        if (d < best) { best = d; }
      }
      if (best > limit) { return limit + 1; }
    }
    return rows[a.length][b.length];
  }

  /* ---- index files ---- */
  function has(table, key) { return Object.prototype.hasOwnProperty.call(table, key); }

  var root = null;       // URL of the index folder
  var manifest = null;   // Promise of the manifest
  /* Maps keyed by words and file names are prototype-free: a query such as "constructor" is a
     word to look up, never a property of Object.prototype. */
  var files = Object.create(null);        // index file path -> Promise of its JSON (indexFile)
  var decoded = Object.create(null);      // term -> {df, docs: Int32Array, impacts: Uint8Array}
  var conceptsOf = Object.create(null);   // stem -> the synonym groups' terms it belongs to
  var membersOf = Object.create(null);    // group term -> its stems
  var stopwords = Object.create(null);
  var known = Object.create(null);        // shard keys of two characters or fewer that exist
  var directoryKeys = Object.create(null); // two-letter groups split into longer keys, listed in a directory file
  var spellingKeys = Object.create(null);

  /* Read once, at the first page: with instant navigation the location changes but the
     config's relative base is that of the page first loaded. */
  var site = null;
  function siteRoot() {
    if (site) { return site; }
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { base = "."; }
    site = new URL(base.replace(/\/?$/, "/"), window.location.href);
    return site;
  }

  /* An index file, fetched once per page life (a failed fetch is forgotten, to retry later). */
  function indexFile(path) {
    if (!files[path]) {
      files[path] = manifest.then(function (m) {
        return fetch(new URL(path + "?v=" + m.build, root).href).then(function (response) {
          if (!response.ok) { throw new Error(path + ": HTTP " + response.status); }
          return response.json();
        });
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  function loadManifest() {
    if (manifest) { return manifest; }
    root = new URL(FOLDER, siteRoot());
    manifest = fetch(new URL("manifest.json", root).href, { cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) { throw new Error("search index missing: HTTP " + response.status); }
        return response.json();
      })
      .then(function (m) {
        m.stopwords.forEach(function (w) { stopwords[w] = true; });
        m.shards.forEach(function (k) { known[k] = true; });
        m.directories.forEach(function (k) { directoryKeys[k] = true; });
        m.spellings.forEach(function (k) { spellingKeys[k] = true; });
        m.synonyms.forEach(function (group) {
          var concept = "~" + group[0];  // index.py's concept(): the group's postings in one term
          membersOf[concept] = group;
          group.forEach(function (member) { (conceptsOf[member] = conceptsOf[member] || []).push(concept); });
        });
        return m;
      });
    manifest.catch(function () { manifest = null; });  // try again on the next keystroke
    return manifest;
  }

  /* The shard holding `term`: the longest of its prefixes that names one (index.py splits big
     shards by a longer prefix). Split groups list their shards in a small directory file. */
  function keyFor(term) {
    var chars = Array.from(term), group = chars.slice(0, 2).join("");
    if (!directoryKeys[group]) { return Promise.resolve(known[group] ? group : null); }
    return indexFile("k/" + fileName(group) + ".json").then(function (keys) {
      for (var n = chars.length; n > 0; n--) {
        var key = chars.slice(0, n).join("");
        if (keys.indexOf(key) >= 0) { return key; }
      }
      return null;
    });
  }

  function shard(term) {
    return keyFor(term).then(function (key) {
      return key === null ? {} : indexFile("t/" + fileName(key) + ".json");
    });
  }

  function postings(table, term) {
    if (decoded[term]) { return decoded[term]; }
    var raw = table[term];
    var count = (raw.length - 1) / 2;
    var docs = new Int32Array(count), impacts = new Uint8Array(count), doc = 0;
    for (var i = 0; i < count; i++) {
      doc += raw[1 + 2 * i];
      docs[i] = doc;
      impacts[i] = raw[2 + 2 * i];
    }
    decoded[term] = { df: raw[0], docs: docs, impacts: impacts };
    return decoded[term];
  }

  /* ---- query ---- */
  function analyse(query) {
    var all = words(query);
    var typing = all.length > 0 && !/\s$/.test(query);
    var kept = all.filter(function (w) { return !stopwords[w]; });
    return all.map(function (word, i) {
      return { word: word, stem: stem(word), last: typing && i === all.length - 1, stop: !!stopwords[word] };
    }).filter(function (t) { return !t.stop || kept.length === 0; });
  }

  /* Known words sharing the first two letters of `s` (a slip in those is not corrected: the
     lists would have to be fetched for every possible pair). */
  function spellingList(s) {
    var key = s.slice(0, 2);
    return spellingKeys[key] ? indexFile("w/" + fileName(key) + ".json") : Promise.resolve([]);
  }

  /* Every index term that may stand for this word, with how much a match on it counts. */
  function expand(token) {
    var s = token.stem, concepts = conceptsOf[s] || [];
    var sources = [s].concat(concepts);
    if (token.last && token.word !== s) { sources.push(token.word); }
    return Promise.all(sources.map(shard)).then(function (tables) {
      var found = Object.create(null);
      function offer(term, table, weight) {
        if (!has(table, term)) { return; }
        if (!found[term] || found[term].weight < weight) { found[term] = { table: table, weight: weight }; }
      }
      tables.forEach(function (table) {
        offer(s, table, WEIGHT.exact);
        concepts.forEach(function (c) { offer(c, table, WEIGHT.synonym); });
      });
      var home = tables[0];
      if (token.last && token.word.length >= 2) {
        var completions = Object.keys(home).filter(function (t) {
          return t !== s && (t.startsWith(token.word) || t.startsWith(s));
        });
        completions.sort(function (a, b) { return a.length - b.length || (home[b][0] - home[a][0]); });
        completions.slice(0, 8).forEach(function (t) { offer(t, home, WEIGHT.prefix); });
      }
      if (Object.keys(found).length || s.length < 4) { return found; }
      // Not in the index: look for what the agent meant, one (or, in a long word, two) slips away.
      var limit = token.word.length >= 7 ? 2 : 1;
      return spellingList(s).then(function (list) {
        var near = [];
        list.forEach(function (t) {
          var d = Math.min(distance(s, t, limit), distance(token.word, t, limit));
          if (d <= limit) { near.push({ term: t, d: d }); }
        });
        near.sort(function (a, b) { return a.d - b.d; });
        near = near.slice(0, 6);
        return Promise.all(near.map(function (n) { return shard(n.term); })).then(function (tables) {
          near.forEach(function (n, i) { offer(n.term, tables[i], n.d === 1 ? WEIGHT.typo : WEIGHT.typo2); });
          return found;
        });
      });
    });
  }

  /* Word pairs as the index stores them for keywords and titles (stopwords kept). */
  function phrases(query) {
    var stems = words(query).map(stem), out = [];
    for (var i = 1; i < stems.length; i++) { out.push(stems[i - 1] + " " + stems[i]); }
    return out;
  }

  /* 32-bit FNV-1a of the UTF-8 bytes, as text.py's fnv1a. */
  function fnv1a(text) {
    var h = 0x811c9dc5, bytes = new TextEncoder().encode(text);
    for (var i = 0; i < bytes.length; i++) { h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0; }
    return h;
  }

  function pairShard(term) {
    return manifest.then(function (m) {
      return m.pairs ? indexFile("p/" + (fnv1a(term) % m.pairs) + ".json") : {};
    });
  }

  function lookupPhrase(term) {
    return pairShard(term).then(function (table) {
      var found = Object.create(null);
      if (has(table, term)) { found[term] = { table: table, weight: WEIGHT.exact }; }
      return found;
    });
  }

  function idf(docs, df) { return Math.log(1 + (docs - df + 0.5) / (df + 0.5)); }

  /* Best score per SOP for one query word. A word and its synonyms, completions or corrections
     are one concept: they share one idf, computed as if they were one term, so a rare synonym
     cannot outweigh the word the agent actually typed. */
  function conceptScores(found, m) {
    var best = new Map(), df = 0, groupDf = 0, lists = Object.create(null);
    Object.keys(found).forEach(function (term) {
      lists[term] = postings(found[term].table, term);
      if (membersOf[term]) { groupDf = Math.max(groupDf, lists[term].df); } else { df += lists[term].df; }
    });
    // A group term already counts the SOPs of the word itself: take the larger, not the sum.
    var shared = idf(m.docs, Math.min(Math.max(df, groupDf), m.docs)) / 255;
    Object.keys(found).forEach(function (term) {
      var list = lists[term], weight = found[term].weight * shared;
      for (var i = 0; i < list.docs.length; i++) {
        var score = weight * list.impacts[i], doc = list.docs[i];
        if (!(best.get(doc) >= score)) { best.set(doc, score); }
      }
    });
    return best;
  }

  /* `lastPair`: also look up the pair ending in the word still being typed. search() ranks
     without it first, so the first results never wait on that fetch; then with it, when the
     word has turned out to be a known one (each half-typed pair would cost a fetch). */
  function rank(query, lastPair) {
    var tokens = analyse(query);
    if (!tokens.length) { return Promise.resolve({ tokens: tokens, hits: [], terms: Object.create(null) }); }
    return loadManifest().then(function (m) {
      var all = words(query), pairs = phrases(query), pairPending = false;
      var typing = !/\s$/.test(query) && !stopwords[all[all.length - 1]];
      if (typing && !lastPair) { pairs.pop(); }
      var pending = tokens.map(expand).concat(pairs.map(lookupPhrase));
      return Promise.all(pending).then(function (expansions) {
        var last = tokens[tokens.length - 1];
        pairPending = typing && !lastPair && pairs.length < all.length - 1 &&
          last.last && last.stem in expansions[tokens.length - 1];
        return expansions;
      }).then(function (expansions) {
        var scores = new Map(), matched = new Map(), terms = Object.create(null);
        expansions.forEach(function (found, t) {
          Object.keys(found).forEach(function (term) {
            (membersOf[term] || [term]).forEach(function (t) { terms[t] = true; });
          });
          conceptScores(found, m).forEach(function (score, doc) {
            scores.set(doc, (scores.get(doc) || 0) + score);
            if (t < tokens.length) { matched.set(doc, (matched.get(doc) || 0) + 1); }
          });
        });
        var hits = [];
        scores.forEach(function (score, doc) {
          // An SOP that matches every word the agent typed beats one that matches a word strongly.
          var coverage = (matched.get(doc) || 0) / tokens.length;
          hits.push({ doc: doc, score: score * coverage * coverage });
        });
        hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        return { tokens: tokens, hits: hits, terms: terms, pairPending: pairPending };
      });
    });
  }

  function documents(hits, bucketSize) {
    return Promise.all(hits.map(function (hit) {
      return indexFile("d/" + Math.floor(hit.doc / bucketSize) + ".json").then(function (rows) {
        var row = rows[hit.doc % bucketSize];
        return { title: row[0], url: row[1], summary: row[2], category: row[3], score: hit.score };
      });
    }));
  }

  /* ---- interface ---- */
  var form, input, list, meta, toggle, more;
  var sequence = 0, current = { query: "", results: [], promise: Promise.resolve([]) };

  function highlighted(text, terms) {
    var fragment = document.createDocumentFragment();
    text.split(/([^\p{L}\p{N}'\u2019]+)/u).forEach(function (part) {
      var w = words(part);
      if (w.length === 1 && terms[stem(w[0])]) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
      } else if (part) {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  function resultItem(doc, terms) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link sopkb-search-hit";
    link.href = new URL(doc.url, siteRoot()).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.appendChild(highlighted(doc.title, terms));
    var summary = document.createElement("p");
    summary.appendChild(highlighted(doc.summary, terms));
    var category = document.createElement("p");
    category.className = "sopkb-search-category";
    category.textContent = doc.category;
    article.appendChild(title);
    article.appendChild(summary);
    article.appendChild(category);
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function say(text) { meta.textContent = text; }

  function show(query, ranked, docs, total, started) {
    list.textContent = "";
    docs.forEach(function (doc) { list.appendChild(resultItem(doc, ranked.terms)); });
    var count = total === 1 ? "1 SOP matches" : total + " SOPs match";
    if (!total) {
      say("No SOP matches \u201c" + query.trim() + "\u201d. Try the customer's own words, or fewer words.");
    } else {
      say(count + (total > docs.length ? ", best " + docs.length + " shown" : "") + ". Enter opens the first.");
    }
    more.hidden = total <= docs.length;
    window.sopkb.announce(total ? count + ". First: " + docs[0].title : meta.textContent);
    var ms = performance.now() - started;
    list.setAttribute("data-query", query);
    document.dispatchEvent(new CustomEvent("sopkb:search-results", { detail: { query: query, ms: ms, total: total } }));
  }

  function search(query, shown) {
    var mine = ++sequence, started = performance.now();
    shown = shown || SHOWN;
    if (!words(query).length) {
      list.textContent = "";
      more.hidden = true;
      say("Type what the customer says: \u201cporch pirate\u201d, \u201cwants a manager\u201d.");
      current = { query: query, results: [], promise: Promise.resolve([]) };
      return current.promise;
    }
    function present(ranked) {
      return loadManifest().then(function (m) {
        return documents(ranked.hits.slice(0, shown), m.bucket).then(function (docs) {
          if (mine === sequence) { show(query, ranked, docs, ranked.hits.length, started); }
          return docs;
        });
      });
    }
    var promise = rank(query, false).then(function (ranked) {
      /* Only the newest search may mark the list busy: an older one finishing late must not. */
      if (mine === sequence) { list.setAttribute("aria-busy", ranked.pairPending ? "true" : "false"); }
      var first = present(ranked);
      if (!ranked.pairPending) { return first; }
      return first.then(function () {
        if (mine !== sequence) { return []; }
        return rank(query, true).then(present).then(function (docs) {
          if (mine === sequence) { list.setAttribute("aria-busy", "false"); }
          return docs;
        });
      });
    }).catch(function (error) {
      if (mine === sequence) {
        list.setAttribute("aria-busy", "false");
        say("Search is unavailable: " + error.message);
      }
      return [];
    });
    current = { query: query, shown: shown, promise: promise };
    return promise;
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  function focusSearch() {
    toggle.checked = true;
    input.focus();
    input.select();
    loadManifest();
  }

  function editable(element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  function bind() {
    siteRoot();
    form = document.querySelector("[data-sopkb-search]");
    if (!form) { return; }
    input = form.querySelector("input[type=search], input[name=query]");
    list = document.getElementById("sopkb-search-results");
    meta = document.getElementById("sopkb-search-meta");
    more = document.getElementById("sopkb-search-more");
    toggle = document.getElementById("__search");
    if (!input || !list || !meta || !more || !toggle) { return; }

    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { search(""); input.focus(); }, 0);
    });
    input.addEventListener("focus", function () { toggle.checked = true; loadManifest(); });
    input.addEventListener("input", function () { search(input.value); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var pending = current.query === input.value ? current.promise : search(input.value);
        pending.then(function (docs) { if (docs.length) { window.location.href = new URL(docs[0].url, siteRoot()).href; } });
      } else if (event.key === "ArrowDown") {
        var first = links()[0];
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape") {
        toggle.checked = false;
        input.blur();
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (at < 0) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) { input.focus(); } else if (next < all.length) { all[next].focus(); }
      } else if (event.key === "Escape") {
        input.focus();
      }
    });
    more.addEventListener("click", function () {
      search(input.value, (current.shown || SHOWN) + SHOWN).then(function (docs) {
        var all = links();
        if (all[docs.length - SHOWN]) { all[docs.length - SHOWN].focus(); }
      });
    });
    toggle.addEventListener("change", function () { if (toggle.checked) { input.focus(); loadManifest(); } });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || editable(event.target)) { return; }
      if (event.key === "/" || event.key === "s" || event.key === "f") {
        event.preventDefault();
        focusSearch();
      }
    });
    var preset = new URLSearchParams(window.location.search).get("q");
    if (preset) {
      input.value = preset;
      toggle.checked = true;
      search(preset);
    }
    // Fetch the manifest (4 KB) with the page, so the first keystroke does not wait for it.
    loadManifest();
  }

  window.sopkbSearch = { words: words, stem: stem, fileName: fileName, fnv1a: fnv1a, search: search, focus: focusSearch };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", bind); } else { bind(); }
})();
