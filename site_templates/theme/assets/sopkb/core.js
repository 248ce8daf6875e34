/* sopkb core: what every component shares. It imports nothing and touches nothing until called.

   Text from fields, the address, storage and files always goes into the page as text (el(),
   textContent); setBuiltHtml is the only way HTML becomes DOM, for HTML the build rendered. */

/** An element: `attributes` set as attributes (null and undefined ones left out), then
    `children` appended, strings as text nodes. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) { node.setAttribute(name, value); }
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

/* The only place sopkb's scripts turn HTML into DOM. `html` must be HTML the build rendered
   from author Markdown with raw HTML switched off (generator/sopkb/render/markdown.py), or with
   author text escaped, and shipped in the page itself or in a data file the build wrote beside
   it on the same site: never text from a field, the address, storage or a receipt,
   which always goes in through textContent. tests/test_browser_code.py keeps this the only
   HTML sink in these scripts; the page's Content-Security-Policy stops scripts and event
   handlers that could ever slip in. */
export function setBuiltHtml(element, html) {
  element.innerHTML = html;
  return element;
}

/** A key's own value, never one inherited from Object.prototype: ids, words and link fields
    such as "constructor" or "__proto__" are data, not lookups. */
export function own(object, key) {
  return object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key)
    ? object[key] : undefined;
}

/* ---- Fetching: each address once per page life; a failed fetch is forgotten, to retry later. ---- */
const fetched = new Map();

/** The JSON at `url` (resolved against the page), fetched once; `init` as fetch() takes it. */
export function fetchJson(url, init) {
  const address = new URL(url, document.baseURI).href;
  if (!fetched.has(address)) {
    const promise = fetch(address, init).then((response) => {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.json();
    });
    fetched.set(address, promise);
    promise.catch(() => { fetched.delete(address); });
  }
  return fetched.get(address);
}

/* ---- Storage: JSON values. Storage can be full, blocked by policy or missing altogether, so
   every access is guarded: reads give null, writes say whether anything was kept. ---- */
function storage(name) {
  return {
    read(key) {
      try { return JSON.parse(window[name].getItem(key) || "null"); } catch { return null; }
    },
    write(key, value) {
      try { window[name].setItem(key, JSON.stringify(value)); return true; } catch { return false; }
    },
    remove(key) {
      try { window[name].removeItem(key); } catch { /* nothing was kept */ }
    },
    keys() {
      try {
        const area = window[name];
        return Array.from({ length: area.length }, (_, i) => area.key(i));
      } catch { return []; }
    },
    /** Moves a stored value to `to` unless `to` holds one already; false when storage refused. */
    move(from, to) {
      try {
        const area = window[name];
        if (area.getItem(to) === null) { area.setItem(to, area.getItem(from)); }
        area.removeItem(from);
        return true;
      } catch { return false; }
    },
  };
}
export const local = storage("localStorage");
export const session = storage("sessionStorage");

/* ---- Pages ---- */

/** Run `fn` on every page: with Material's instant navigation pages are swapped in without a
    load event, and its `document$` emits for each one (and replays the current one to a late
    subscriber); without it, once the document is ready. */
export function onPage(fn) {
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(() => fn());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => fn());
  } else {
    fn();
  }
}

/** Say `message` to screen readers, in the site's one live region. */
export function announce(message) {
  let region = document.getElementById("sopkb-live");
  if (!region) {
    region = el("div", { id: "sopkb-live", class: "md-visually-hidden", role: "status", "aria-live": "polite" });
    document.body.appendChild(region);
  }
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 50);
}

function copyText(text) {
  // The Clipboard API needs a secure context; intranet sites are often plain http.
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  return new Promise((resolve, reject) => {
    const area = el("textarea", { readonly: "" });
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    area.remove();
    if (ok) { resolve(); } else { reject(new Error("copy failed")); }
  });
}

/** Copy `text` to the clipboard and announce `done` or, when the browser refused, `failed`;
    resolves to whether it was copied. */
export function copyAndAnnounce(text, done, failed) {
  return copyText(text).then(
    () => { announce(done); return true; },
    () => { announce(failed); return false; },
  );
}

/** An address the build gave as a pattern (a data attribute such as "../sops/{id}/"), with `id`
    filled in. The scheme stays in the build: scripts never spell an address. */
export function fillAddress(pattern, id) {
  return pattern.split("{id}").join(encodeURIComponent(id));
}
