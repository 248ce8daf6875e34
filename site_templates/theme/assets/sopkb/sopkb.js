/* sopkb browser behaviour: copy buttons. Event delegation on document, so it keeps working when
   Material's instant navigation swaps page content without a reload. No network, no globals. */
(function () {
  "use strict";

  function announce(message) {
    var region = document.getElementById("sopkb-live");
    if (!region) {
      region = document.createElement("div");
      region.id = "sopkb-live";
      region.className = "md-visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function copyText(text) {
    // The Clipboard API needs a secure context; intranet sites are often plain http.
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function revealButtons() {
    var buttons = document.querySelectorAll(".sopkb-copy[hidden], [data-print-card][hidden]");
    for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }
  }

  /* "Print quick card": the page prints as one sheet with the quick card and flowchart only. */
  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest("[data-print-card]"))) { return; }
    document.body.classList.add("sopkb-printing-card");
    window.print();
  });
  window.addEventListener("afterprint", function () { document.body.classList.remove("sopkb-printing-card"); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".sopkb-copy");
    if (!button) { return; }
    var label = button.textContent;
    copyText(button.getAttribute("data-copy") || "").then(function () {
      button.textContent = "Copied";
      announce("Copied to the clipboard");
    }, function () {
      button.textContent = "Copy failed";
      announce("Could not copy; select the text instead");
    }).then(function () {
      window.setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  /* The only place sopkb's scripts turn HTML into DOM. `html` must be HTML the build rendered
     from author Markdown with raw HTML switched off (generator/sopkb/render/markdown.py) and
     shipped in the page itself: never text from a field, the address, storage or a receipt,
     which always goes in through textContent. tests/test_browser_code.py keeps this the only
     HTML sink in these scripts; the page's Content-Security-Policy stops scripts and event
     handlers that could ever slip in. */
  function setBuiltHtml(element, html) {
    element.innerHTML = html;
    return element;
  }

  /* A key's own value, never one inherited from Object.prototype: ids, words and link fields
     such as "constructor" or "__proto__" are data, not lookups. */
  function own(object, key) {
    return object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key)
      ? object[key] : undefined;
  }

  /* Shared with every other script: one live region for the whole site. */
  window.sopkb = window.sopkb || {};
  window.sopkb.announce = announce;
  window.sopkb.copy = copyText;
  window.sopkb.setBuiltHtml = setBuiltHtml;
  window.sopkb.own = own;

  /* Run `fn` on every page: with Material's instant navigation pages are swapped in without a
     load event, and `document$` emits for each one; without it, once the document is ready. */
  function onPage(fn) {
    if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
      window.document$.subscribe(fn);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }
  window.sopkb.onPage = onPage;
  onPage(revealButtons);
})();
