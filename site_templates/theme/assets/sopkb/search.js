/* sopkb search: finds the SOP from the customer's own words while the customer is on the line.
   Material's search box and result list (partials/search.html), driven by the site's own index
   (search-index.js). Words are normalised and stemmed exactly as the build does
   (pure/search-text.js). All same-origin, no network beyond this site. The header survives
   instant navigation, so the box is bound once. */

import { announce, el, onPage } from "./core.js";
import { documents, isEmpty, loadManifest, rank, useIndex } from "./search-index.js";
import { stem, words } from "./pure/search-text.js";

const SHOWN = 10;

let form, input, list, meta, toggle, more;
let sequence = 0, current = { query: "", results: [], promise: Promise.resolve([]) };

/* Read once, at the first page: with instant navigation the location changes but the
   config's relative base is that of the page first loaded. */
let site = null;
function siteRoot() {
  if (site) { return site; }
  const config = document.getElementById("__config");
  let base = ".";
  try { base = JSON.parse(config.textContent).base || "."; } catch { base = "."; }
  site = new URL(base.replace(/\/?$/, "/"), window.location.href);
  return site;
}

function highlighted(text, terms) {
  const fragment = document.createDocumentFragment();
  text.split(/([^\p{L}\p{N}'\u2019]+)/u).forEach((part) => {
    const w = words(part);
    if (w.length === 1 && terms[stem(w[0])]) {
      fragment.appendChild(el("mark", {}, part));
    } else if (part) {
      fragment.append(part);
    }
  });
  return fragment;
}

function resultItem(doc, terms) {
  return el("li", { class: "md-search-result__item" },
    el("a", { class: "md-search-result__link sopkb-search-hit", href: new URL(doc.url, siteRoot()).href },
      el("article", { class: "md-search-result__article md-typeset" },
        el("h1", {}, highlighted(doc.title, terms)),
        el("p", {}, highlighted(doc.summary, terms)),
        el("p", { class: "sopkb-search-category" }, doc.category))));
}

function say(text) { meta.textContent = text; }

/* The count as an agent reads "N SOPs match": the SOPs with every word typed. The list also ranks
   those with only some of the words (mostly below them); they are counted apart, not as matches,
   or a two-word query would "match" nearly every SOP. */
function counted(total, everyWord) {
  const sops = everyWord === 0 ? "No SOP matches" : everyWord === 1 ? "1 SOP matches" : everyWord + " SOPs match";
  if (everyWord === total) { return sops; }
  const some = total - everyWord, verb = some === 1 ? " matches" : " match";
  return sops + " all the words; " + some + (everyWord ? " more" : "") + verb + " some of them";
}

function show(query, ranked, docs, total, started) {
  list.replaceChildren(...docs.map((doc) => resultItem(doc, ranked.terms)));
  const count = counted(total, ranked.everyWord);
  if (!total) {
    say("No SOP matches \u201c" + query.trim() + "\u201d. Try the customer's own words, or fewer words.");
  } else {
    say(count + (total > docs.length ? ", best " + docs.length + " shown" : "") + ". Enter opens the first.");
  }
  more.hidden = total <= docs.length;
  announce(total ? count + ". First: " + docs[0].title : meta.textContent);
  const ms = performance.now() - started;
  list.setAttribute("data-query", query);
  document.dispatchEvent(new CustomEvent("sopkb:search-results", { detail: { query, ms, total, everyWord: ranked.everyWord } }));
}

function search(query, shown = SHOWN) {
  const mine = ++sequence, started = performance.now();
  if (isEmpty(query)) {
    list.textContent = "";
    more.hidden = true;
    say("Type what the customer says: \u201cporch pirate\u201d, \u201cwants a manager\u201d.");
    current = { query, results: [], promise: Promise.resolve([]) };
    return current.promise;
  }
  const present = (ranked) => documents(ranked.hits.slice(0, shown)).then((docs) => {
    if (mine === sequence) { show(query, ranked, docs, ranked.hits.length, started); }
    return docs;
  });
  const promise = rank(query, false).then((ranked) => {
    /* Only the newest search may mark the list busy: an older one finishing late must not. */
    if (mine === sequence) { list.setAttribute("aria-busy", ranked.pairPending ? "true" : "false"); }
    const first = present(ranked);
    if (!ranked.pairPending) { return first; }
    return first.then(() => {
      if (mine !== sequence) { return []; }
      return rank(query, true).then(present).then((docs) => {
        if (mine === sequence) { list.setAttribute("aria-busy", "false"); }
        return docs;
      });
    });
  }).catch((error) => {
    if (mine === sequence) {
      list.setAttribute("aria-busy", "false");
      say("Search is unavailable: " + error.message);
    }
    return [];
  });
  current = { query, shown, promise };
  return promise;
}

function links() { return Array.from(list.querySelectorAll("a")); }

function focusSearch() {
  toggle.checked = true;
  input.focus();
  input.select();
  loadManifest();
}

function editable(element) {
  return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
}

function onInputKey(event) {
  if (event.key === "Enter") {
    event.preventDefault();
    const pending = current.query === input.value ? current.promise : search(input.value);
    pending.then((docs) => { if (docs.length) { window.location.href = new URL(docs[0].url, siteRoot()).href; } });
  } else if (event.key === "ArrowDown") {
    const first = links()[0];
    if (first) { event.preventDefault(); first.focus(); }
  } else if (event.key === "Escape") {
    toggle.checked = false;
    input.blur();
  }
}

function onListKey(event) {
  const all = links(), at = all.indexOf(document.activeElement);
  if (at < 0) { return; }
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) { input.focus(); } else if (next < all.length) { all[next].focus(); }
  } else if (event.key === "Escape") {
    input.focus();
  }
}

function bind() {
  siteRoot();
  form = document.querySelector("[data-sopkb-search]");
  input = form.querySelector("input[type=search], input[name=query]");
  list = document.getElementById("sopkb-search-results");
  meta = document.getElementById("sopkb-search-meta");
  more = document.getElementById("sopkb-search-more");
  toggle = document.getElementById("__search");
  if (!input || !list || !meta || !more || !toggle) { return false; }
  useIndex(new URL(form.getAttribute("data-index"), window.location.href));

  form.addEventListener("submit", (event) => { event.preventDefault(); });
  form.addEventListener("reset", () => { window.setTimeout(() => { search(""); input.focus(); }, 0); });
  input.addEventListener("focus", () => { toggle.checked = true; loadManifest(); });
  input.addEventListener("input", () => { search(input.value); });
  input.addEventListener("keydown", onInputKey);
  list.addEventListener("keydown", onListKey);
  more.addEventListener("click", () => {
    search(input.value, (current.shown || SHOWN) + SHOWN).then((docs) => {
      const all = links();
      if (all[docs.length - SHOWN]) { all[docs.length - SHOWN].focus(); }
    });
  });
  toggle.addEventListener("change", () => { if (toggle.checked) { input.focus(); loadManifest(); } });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || editable(event.target)) { return; }
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      focusSearch();
    }
  });
  const preset = new URLSearchParams(window.location.search).get("q");
  if (preset) {
    input.value = preset;
    toggle.checked = true;
    search(preset);
  }
  // Fetch the manifest (4 KB) with the page, so the first keystroke does not wait for it.
  loadManifest();
  return true;
}

let bound = false;
export function init() {
  if (!bound && document.querySelector("[data-sopkb-search]")) { bound = bind(); }
}

onPage(init);
