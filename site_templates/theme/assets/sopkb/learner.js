/* sopkb learners: who is learning on this browser, and everything kept under their name.
   Training-room desks are shared, so progress (quizzes, sign-offs, assignments) is stored per
   learner name. Records made before anyone gave a name stay under the old keys and are adopted
   by the first name given. Also the receipt checksum: SHA-256 written out here, because the
   browser's own (crypto.subtle) exists only on https or localhost, and intranet sites are often
   plain http. */
(function () {
  "use strict";

  var CURRENT = "sopkb.learner";
  var KNOWN = "sopkb.learners";
  var KINDS = ["quiz", "ack", "seen", "assignment"];

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  /* False when the browser keeps nothing (storage full, or blocked by policy): the caller says
     so on the page, because a learner who believes a result was kept would lose it unawares. */
  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }

  function isName(value) { return typeof value === "string" && value.length > 0 && value.length <= 80; }
  function name() { var who = read(CURRENT); return isName(who) ? who : ""; }
  function names() { var known = read(KNOWN); return Array.isArray(known) ? known.filter(isName) : []; }
  function prefix(who, kind) {
    return "sopkb." + (who ? "learner." + encodeURIComponent(who) + "." : "") + kind + ".";
  }
  /* Records are read back as untrusted: a mapping or nothing. */
  function get(kind, id) {
    var record = read(prefix(name(), kind) + id);
    return record && typeof record === "object" && !Array.isArray(record) ? record : null;
  }
  function set(kind, id, value) {
    var saved = write(prefix(name(), kind) + id, value);
    if (!saved) { warnNotSaved(); }
    return saved;
  }

  /* ---- Storage that keeps nothing: say so, once per page, where it is seen. ---- */
  function notSavedMessage(what) {
    var p = document.createElement("p");
    p.className = "sopkb-not-saved";
    p.setAttribute("role", "alert");
    p.textContent = what + " could not be saved in this browser (its storage is full or switched off), " +
      "so it will be gone when you leave this page. Ask your trainer or IT to allow this site to store data.";
    return p;
  }
  function warnNotSaved() {
    var content = document.querySelector(".md-content__inner") || document.body;
    if (!content || content.querySelector("[data-not-saved]")) { return; }
    var banner = notSavedMessage("Your progress");
    banner.setAttribute("data-not-saved", "");
    content.insertBefore(banner, content.firstChild);
    window.sopkb.announce(banner.textContent);
  }

  /* Every record of one kind for the current learner, as {id: record}. */
  function all(kind) {
    var start = prefix(name(), kind);
    var out = Object.create(null);  /* keyed by ids read from storage: no inherited keys */
    for (var i = 0; i < window.localStorage.length; i++) {
      var key = window.localStorage.key(i);
      /* Only ids (no dots): the records of a learner named "Ana.quiz.x" start with Ana's prefix too. */
      if (key.indexOf(start) === 0 && /^[a-z0-9-]+$/.test(key.slice(start.length))) {
        var record = get(kind, key.slice(start.length));
        if (record) { out[key.slice(start.length)] = record; }
      }
    }
    return out;
  }

  function adoptAnonymous(who) {
    KINDS.forEach(function (kind) {
      var from = prefix("", kind);
      var keys = [];
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key.indexOf(from) === 0) { keys.push(key); }
      }
      keys.forEach(function (key) {
        var target = prefix(who, kind) + key.slice(from.length);
        try {
          if (window.localStorage.getItem(target) === null) { window.localStorage.setItem(target, window.localStorage.getItem(key)); }
          window.localStorage.removeItem(key);
        } catch (e) { warnNotSaved(); }  /* full: the old record stays where it is */
      });
    });
  }

  function setName(who) {
    who = (who || "").replace(/\s+/g, " ").trim().slice(0, 80);
    if (!who) { return; }
    var known = names();
    if (known.indexOf(who) === -1) {
      if (!known.length) { adoptAnonymous(who); }
      known.push(who);
      if (!write(KNOWN, known)) { warnNotSaved(); }
    }
    if (!write(CURRENT, who)) { warnNotSaved(); }
    document.dispatchEvent(new CustomEvent("sopkb:learner", { detail: who }));
  }

  /* ---- The learner box: "Learning as Ana · Change", or a name form. ---- */
  var boxes = 0;
  function renderBox(box, editing) {
    var who = name();
    box.textContent = "";
    if (who && !editing) {
      var p = document.createElement("p");
      p.appendChild(document.createTextNode("Learning as "));
      p.appendChild(document.createElement("strong")).textContent = who;
      p.appendChild(document.createTextNode(". "));
      var change = p.appendChild(document.createElement("button"));
      change.type = "button";
      change.className = "md-button sopkb-learner__change";
      change.textContent = "Not you? Change learner";
      change.addEventListener("click", function () { renderBox(box, true); box.querySelector("input").focus(); });
      box.appendChild(p);
      return;
    }
    var id = "sopkb-learner-" + (++boxes);
    var form = document.createElement("form");
    form.className = "sopkb-learner__form";
    form.setAttribute("data-learner-form", "");
    var label = form.appendChild(document.createElement("label"));
    label.htmlFor = id;
    label.textContent = "Your name";
    form.appendChild(document.createTextNode(" "));
    var input = form.appendChild(document.createElement("input"));
    input.id = id;
    input.type = "text";
    input.maxLength = 80;
    input.autocomplete = "name";
    input.setAttribute("list", id + "-known");
    input.setAttribute("aria-describedby", id + "-hint");
    form.appendChild(document.createTextNode(" "));
    var save = form.appendChild(document.createElement("button"));
    save.type = "submit";
    save.className = "md-button md-button--primary";
    save.textContent = "Save name";
    var hint = form.appendChild(document.createElement("span"));
    hint.className = "sopkb-hint";
    hint.id = id + "-hint";
    hint.textContent = "Your progress, sign-offs and receipts are kept under this name, in this browser only.";
    var list = form.appendChild(document.createElement("datalist"));
    list.id = id + "-known";
    names().forEach(function (n) { list.appendChild(document.createElement("option")).value = n; });
    input.value = who;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = form.querySelector("input").value;
      if (!value.trim()) { form.querySelector("input").focus(); return; }
      setName(value);
      window.sopkb.announce("Learning as " + name() + ".");
    });
    box.appendChild(form);
  }

  function initBoxes() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-learner-box]"), function (box) { renderBox(box, false); });
  }
  document.addEventListener("sopkb:learner", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-learner-box]"), function (box) {
      var focused = box.contains(document.activeElement);
      renderBox(box, false);
      if (focused) { var button = box.querySelector("button"); if (button) { button.focus(); } }
    });
  });

  /* ---- Canonical JSON and SHA-256, identical to the report's (sopkb/receipts). ---- */
  function canonical(value) {
    if (value === null || typeof value !== "object") { return JSON.stringify(value); }
    if (Array.isArray(value)) { return "[" + value.map(canonical).join(",") + "]"; }
    return "{" + Object.keys(value).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(value[k]); }).join(",") + "}";
  }

  var K = [];
  (function () {
    var n = 2, found = 0;
    while (found < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) { if (n % d === 0) { prime = false; break; } }
      if (prime) { K.push((Math.pow(n, 1 / 3) % 1) * 4294967296 | 0); found++; }
      n++;
    }
  })();

  function sha256(text) {
    var bytes = new TextEncoder().encode(text);
    var length = bytes.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    var bits = length * 8;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bits / 4294967296));
    view.setUint32(padded.length - 4, bits >>> 0);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      for (var i = 0; i < 16; i++) { w[i] = view.getUint32(offset + i * 4); }
      for (i = 16; i < 64; i++) {
        var a = w[i - 15], b = w[i - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var x = h.slice();
      for (i = 0; i < 64; i++) {
        var e = x[4];
        var t1 = (x[7] + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
          ((e & x[5]) ^ (~e & x[6])) + K[i] + w[i]) | 0;
        var f = x[0];
        var t2 = ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
          ((f & x[1]) ^ (f & x[2]) ^ (x[1] & x[2]))) | 0;
        x = [(t1 + t2) | 0, x[0], x[1], x[2], (x[3] + t1) | 0, x[4], x[5], x[6]];
      }
      for (i = 0; i < 8; i++) { h[i] = (h[i] + x[i]) | 0; }
    }
    return h.map(function (v) { return ("00000000" + (v >>> 0).toString(16)).slice(-8); }).join("");
  }

  window.sopkb.learner = {
    name: name, names: names, setName: setName, get: get, set: set, all: all, notSavedMessage: notSavedMessage
  };
  window.sopkb.canonical = canonical;
  window.sopkb.sha256 = sha256;
  window.sopkb.onPage(initBoxes);
})();
