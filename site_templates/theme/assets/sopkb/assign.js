/* sopkb assignments without a server. A trainer's page builds a link whose fragment (#a=…)
   carries the assignment (never sent to any server, not even this site's); the learner's page
   reads it, shows the checklist and due date, and once everything is done lets the learner
   download a receipt (answers, scores, versions, a SHA-256 checksum) and print a certificate.
   `sopkb report` re-scores receipts from the quiz sources. */
(function () {
  "use strict";

  var FORMAT = "sopkb-receipt";

  function encode(spec) {
    var bytes = new TextEncoder().encode(JSON.stringify(spec));
    var text = "";
    bytes.forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  /* A link is typed, pasted and forwarded by people: it is read as untrusted data. Caps keep a
     crafted link from hanging the tab (every quiz it names is a fetch and a checklist row). */
  var MAX_QUIZZES = 200;
  var MAX_LINK = 16384;  /* characters after #a= : 200 long quiz ids fit with room to spare */
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  var FIELDS = {  /* every field a link may carry, and what it may hold */
    v: function (x) { return x === 1; },
    title: function (x) { return typeof x === "string" && x.trim().length > 0 && x.length <= 200; },
    cohort: function (x) { return x === null || (typeof x === "string" && x.length <= 100); },
    trainer: function (x) { return x === null || (typeof x === "string" && x.length <= 100); },
    due: function (x) { return x === null || isDay(x); },
    created: function (x) { return x === null || isDay(x); },
    path: function (x) { return x === null || isId(x); },
    quizzes: function (x) {
      return Array.isArray(x) && x.length <= MAX_QUIZZES && x.every(isId) &&
        x.every(function (id, i) { return x.indexOf(id) === i; });
    }
  };
  function isId(x) { return typeof x === "string" && x.length <= 100 && ID.test(x); }
  /* A date that exists: 9999-99-99 has the shape of one. */
  function isDay(x) {
    if (typeof x !== "string" || !DAY.test(x)) { return false; }
    var day = new Date(x + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === x;
  }

  /* {spec} for a sound link, {problem} for one that is not, null when there is no link. */
  function decode(hash) {
    var match = /[#&]a=([^&]*)/.exec(hash || "");
    if (!match) { return null; }
    if (match[1].length > MAX_LINK) {
      return { problem: "This assignment link is too long to be one sopkb made (at most " + MAX_QUIZZES + " quizzes). Ask your trainer for a new link." };
    }
    var damaged = { problem: "This assignment link is damaged or incomplete. Ask your trainer to send it again." };
    var spec;
    try {
      var text = atob(match[1].replace(/-/g, "+").replace(/_/g, "/"));
      var bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
      spec = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (e) { return damaged; }
    if (!isSpec(spec)) {
      return spec && Array.isArray(spec.quizzes) && spec.quizzes.length > MAX_QUIZZES
        ? { problem: "This assignment link names " + spec.quizzes.length + " quizzes; at most " + MAX_QUIZZES + " fit in one assignment. Ask your trainer to split it." }
        : damaged;
    }
    return { spec: spec };
  }

  /* Only the fields an assignment has, each of the right shape: links and saved copies alike. */
  function isSpec(spec) {
    if (!spec || typeof spec !== "object" || Array.isArray(spec)) { return false; }
    var keys = Object.keys(spec);
    return ["v", "title", "quizzes"].every(function (k) { return keys.indexOf(k) !== -1; }) &&
      keys.every(function (k) { return Object.prototype.hasOwnProperty.call(FIELDS, k) && FIELDS[k](spec[k]); }) &&
      (spec.quizzes.length > 0 || spec.path !== null && spec.path !== undefined);
  }

  function assignmentId(spec) { return window.sopkb.sha256(window.sopkb.canonical(spec)).slice(0, 12); }

  function today() { return new Date().toISOString().slice(0, 10); }

  var cache = Object.create(null);
  function fetchJson(root, path) {
    if (!cache[path]) {
      /* no-cache: revalidate, so after a rebuild a quiz's fingerprint is never a stale copy's */
      cache[path] = fetch(root + "learning/data/" + path, { cache: "no-cache" }).then(function (r) {
        if (!r.ok) { throw new Error(path + ": " + r.status); }
        return r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  /* Everything the assignment asks for, in order: the path's items, then the other quizzes. */
  function itemsOf(root, spec) {
    var path = spec.path ? fetchJson(root, "path/" + encodeURIComponent(spec.path) + ".json") : Promise.resolve(null);
    return path.then(function (p) {
      var items = [];
      var seen = new Set();
      (p ? p.modules : []).forEach(function (m) {
        m.items.forEach(function (item) { seen.add(item.kind + ":" + item.id); items.push(item); });
      });
      var extra = spec.quizzes.filter(function (id) { return !seen.has("quiz:" + id); });
      return Promise.all(extra.map(function (id) {
        return fetchJson(root, "quiz/" + encodeURIComponent(id) + ".json").catch(function () {
          return { kind: "quiz", id: id, missing: true, title: id };
        });
      })).then(function (quizzes) { return { path: p, items: items.concat(quizzes) }; });
    });
  }

  function status(items) {
    var states = items.map(function (item) {
      return item.missing ? { state: "missing", text: "No longer on this site: ask your trainer" } : window.sopkb.progress.itemState(item);
    });
    var done = states.filter(function (s) { return s.state === "done"; }).length;
    return { states: states, done: done, complete: done === items.length && items.length > 0 };
  }

  function receiptOf(spec, items, states, site) {
    var quizzes = [];
    var sops = [];
    var latest = "";
    items.forEach(function (item, i) {
      var record = states[i].record;
      if (item.kind === "sop") {
        sops.push({ sop: item.id, title: item.title, version: item.version, signed_at: record.at });
        latest = record.at > latest ? record.at : latest;
        return;
      }
      var best = record.bestAttempt;
      quizzes.push({
        id: item.id, title: item.title, version: item.fingerprint, sop: item.sop, pass_mark: item.passMark,
        score: best.score, right: best.right, total: best.total, passed: best.score >= item.passMark,
        attempts: record.attempts, answered_at: best.at, answers: best.answers
      });
      latest = best.at > latest ? best.at : latest;
    });
    var receipt = {
      format: FORMAT, format_version: 1, site: site, learner: window.sopkb.learner.name(),
      assignment: Object.assign({ id: assignmentId(spec) }, spec),
      quizzes: quizzes, sops_read: sops, completed_at: latest, issued_at: new Date().toISOString()
    };
    receipt.checksum = "sha256:" + window.sopkb.sha256(window.sopkb.canonical(receipt));
    return receipt;
  }

  function slug(text) { return (text || "learner").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "learner"; }

  function download(receipt) {
    var blob = new Blob([JSON.stringify(receipt, null, 2) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "receipt-" + slug(receipt.learner) + "-" + receipt.assignment.id + ".json";
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function describe(spec) {
    var parts = [];
    if (spec.cohort) { parts.push("Cohort: " + spec.cohort); }
    if (spec.due) { parts.push("Due " + spec.due + (spec.due < today() ? " (past due)" : "")); }
    if (spec.trainer) { parts.push("From " + spec.trainer); }
    return parts.join(" · ");
  }

  /* ---- The learner's assignment page ---- */
  function renderAssignment(page) {
    var root = page.getAttribute("data-root");
    var body = page.querySelector("[data-assignment-body]");
    var link = decode(window.location.hash);
    if (!link || link.problem) {
      body.textContent = "";
      body.appendChild(el("p", { role: "alert" }, link ? link.problem :
        "Open the link your trainer sent you. This page shows that assignment's checklist."));
      return;
    }
    var spec = link.spec;
    var id = assignmentId(spec);
    page.querySelector("[data-assignment-title]").textContent = spec.title;
    page.querySelector("[data-assignment-meta]").textContent = describe(spec);
    document.title = spec.title + " - " + document.title.replace(/^[^-]*- /, "");
    var learner = window.sopkb.learner;
    itemsOf(root, spec).then(function (found) {
      if (learner.name() && !learner.get("assignment", id)) {
        learner.set("assignment", id, { spec: spec, opened: new Date().toISOString() });
      }
      var result = status(found.items);
      body.textContent = "";
      if (!learner.name()) {
        body.appendChild(el("p", { "class": "sopkb-hint" }, "Give your name above: your checklist, receipt and certificate are kept under it."));
      }
      var summary = el("p", { "class": "sopkb-assignment__summary", "data-assignment-summary": "" },
        result.done + " of " + found.items.length + " done" + (result.complete ? " · complete" : ""));
      body.appendChild(summary);
      var list = el("ol", { "class": "sopkb-path-items sopkb-assignment__items" });
      found.items.forEach(function (item, i) {
        var li = el("li", { "class": "sopkb-path-item", "data-assignment-item": item.kind + ":" + item.id });
        if (item.missing) {
          li.appendChild(el("span", {}, "Quiz " + item.id));
        } else {
          li.appendChild(el("a", { href: root + item.href }, (item.kind === "sop" ? "Read and sign: " : "Pass: ") + item.title));
        }
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", { "class": "sopkb-item-state", "data-state": result.states[i].state }, result.states[i].text));
        list.appendChild(li);
      });
      body.appendChild(list);
      var actions = el("div", { "class": "sopkb-assignment__actions" });
      if (result.complete && learner.name()) {
        var button = el("button", { type: "button", "class": "md-button md-button--primary", "data-receipt": "" }, "Download receipt");
        button.addEventListener("click", function () {
          download(receiptOf(spec, found.items, result.states, page.getAttribute("data-site")));
          window.sopkb.announce("Receipt downloaded. Send it to your trainer.");
        });
        actions.appendChild(button);
        actions.appendChild(document.createTextNode(" "));
        actions.appendChild(el("a", { "class": "md-button", href: root + "learning/certificate/#a=" + encode(spec), "data-certificate-link": "" }, "Print certificate"));
        actions.appendChild(el("p", { "class": "sopkb-hint" }, "Done. Download the receipt and send it to your trainer" + (spec.trainer ? " (" + spec.trainer + ")" : "") + "."));
      } else {
        actions.appendChild(el("p", { "class": "sopkb-hint" }, "When every item is done, you can download a receipt for your trainer and print a certificate here."));
      }
      body.appendChild(actions);
    }, function () {
      body.textContent = "";
      body.appendChild(el("p", { role: "alert" }, "This assignment names a path that is not on this site. Ask your trainer."));
    });
  }

  /* ---- The certificate ---- */
  function renderCertificate(page) {
    var root = page.getAttribute("data-root");
    var body = page.querySelector("[data-certificate-body]");
    var link = decode(window.location.hash);
    if (!link) { return; }
    if (link.problem) {
      body.textContent = "";
      body.appendChild(el("p", { role: "alert" }, link.problem));
      return;
    }
    var spec = link.spec;
    itemsOf(root, spec).then(function (found) {
      var result = status(found.items);
      body.textContent = "";
      if (!result.complete || !window.sopkb.learner.name()) {
        body.appendChild(el("p", { role: "alert" }, "This assignment is not complete yet for this learner, so there is no certificate."));
        body.appendChild(el("a", { href: root + "learning/assignment/#a=" + encode(spec) }, "Back to the assignment"));
        return;
      }
      var receipt = receiptOf(spec, found.items, result.states, page.getAttribute("data-site"));
      var card = el("section", { "class": "sopkb-certificate", "aria-labelledby": "certificate-title", "data-certificate-card": "" });
      card.appendChild(el("p", { "class": "sopkb-certificate__site" }, receipt.site));
      card.appendChild(el("h2", { id: "certificate-title" }, "Certificate of completion"));
      card.appendChild(el("p", { "class": "sopkb-certificate__name", "data-certificate-learner": "" }, receipt.learner));
      card.appendChild(el("p", {}, "has completed"));
      card.appendChild(el("p", { "class": "sopkb-certificate__title" }, spec.title));
      if (describe(spec)) { card.appendChild(el("p", {}, describe(spec))); }
      var list = el("ul", { "class": "sopkb-certificate__items" });
      receipt.sops_read.forEach(function (s) { list.appendChild(el("li", {}, "Read and signed: " + s.title + " (version " + s.version + ")")); });
      receipt.quizzes.forEach(function (q) { list.appendChild(el("li", {}, "Passed: " + q.title + " — " + q.score + "%")); });
      card.appendChild(list);
      card.appendChild(el("p", {}, "Completed " + receipt.completed_at.slice(0, 10)));
      card.appendChild(el("p", { "class": "sopkb-certificate__code" }, "Assignment " + receipt.assignment.id + " · receipt " + receipt.checksum.slice(7, 23)));
      body.appendChild(card);
      var print = el("button", { type: "button", "class": "md-button md-button--primary sopkb-certificate__print" }, "Print certificate");
      print.addEventListener("click", function () { window.print(); });
      body.appendChild(print);
    });
  }

  /* ---- The trainer's link builder ---- */
  var MAX_SHOWN = 50;
  function initBuilder(form) {
    if (form.getAttribute("data-ready")) { return; }
    form.setAttribute("data-ready", "1");
    var root = form.getAttribute("data-root");
    var box = form.querySelector("[data-assign-quizzes]");
    var filter = form.querySelector("[data-assign-filter]");
    var count = form.querySelector("[data-assign-count]");
    var chosen = new Set();
    var quizzes = [];

    function chosenText() {
      return chosen.size + " quiz(zes) chosen." + (chosen.size > MAX_QUIZZES ? " At most " + MAX_QUIZZES + " fit in one assignment." : "");
    }

    function show() {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var matches = quizzes.filter(function (q) {
        var text = (q.title + " " + q.sop + " " + q.id).toLowerCase();
        return chosen.has(q.id) || words.every(function (w) { return text.indexOf(w) !== -1; });
      });
      box.textContent = "";
      matches.slice(0, MAX_SHOWN).forEach(function (q) {
        var id = "assign-q-" + q.id;
        var row = el("div", { "class": "sopkb-choice" });
        var input = el("input", { type: "checkbox", id: id, value: q.id });
        input.checked = chosen.has(q.id);
        input.addEventListener("change", function () {
          if (input.checked) { chosen.add(q.id); } else { chosen.delete(q.id); }
          count.textContent = chosenText();
        });
        row.appendChild(input);
        row.appendChild(el("label", { "for": id }, q.title + (q.drill ? " (drill)" : "") + " — " + q.sop));
        box.appendChild(row);
      });
      count.textContent = chosenText() +
        (matches.length > MAX_SHOWN ? " Showing " + MAX_SHOWN + " of " + matches.length + " matches: type to narrow." : "");
    }

    fetchJson(root, "catalog.json").then(function (catalog) { quizzes = catalog.quizzes; show(); }, function () {
      box.textContent = "";
      box.appendChild(el("p", { role: "alert" }, "The quiz list could not be loaded."));
    });
    filter.addEventListener("input", show);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var error = form.querySelector("[data-assign-error]");
      var value = function (name) { return form.elements[name].value.trim(); };
      var spec = {
        v: 1, title: value("title"), cohort: value("cohort") || null, due: value("due") || null,
        trainer: value("trainer") || null, path: value("path") || null,
        quizzes: quizzes.filter(function (q) { return chosen.has(q.id); }).map(function (q) { return q.id; }),
        created: today()
      };
      /* The rules a learner's page reads links by (FIELDS), said as what to change. */
      var fix = {
        title: spec.title ? "Shorten the title to 200 characters or fewer." : "Give the assignment a title.",
        cohort: "Shorten the cohort to 100 characters or fewer.",
        trainer: "Shorten your name to 100 characters or fewer.",
        due: "Give the due date as a date."
      };
      var wrong = Object.keys(fix).filter(function (k) { return !FIELDS[k](spec[k]); })[0];
      var problem = wrong ? [wrong, fix[wrong]] :
        !spec.path && !spec.quizzes.length ? ["path", "Choose a learning path or at least one quiz."] :
        spec.quizzes.length > MAX_QUIZZES ? ["filter", "Choose at most " + MAX_QUIZZES + " quizzes (" + spec.quizzes.length + " chosen); split the work into two assignments."] : null;
      error.hidden = !problem;
      if (problem) {
        error.textContent = problem[1];
        form.elements[problem[0]].focus();
        return;
      }
      var url = new URL(root + "learning/assignment/", window.location.href).href + "#a=" + encode(spec);
      var result = form.querySelector("[data-assign-result]");
      result.hidden = false;
      form.querySelector("[data-assign-link]").value = url;
      form.querySelector("[data-assign-open]").href = url;
      form.querySelector("[data-assign-link]").focus();
      form.querySelector("[data-assign-link]").select();
      window.sopkb.announce("Assignment link created. Copy it and send it to your learners.");
    });
    form.querySelector("[data-assign-copy]").addEventListener("click", function () {
      window.sopkb.copy(form.querySelector("[data-assign-link]").value).then(function () {
        window.sopkb.announce("Link copied to the clipboard");
      }, function () { window.sopkb.announce("Could not copy; select the link instead"); });
    });
  }

  /* ---- "My learning": the learner's saved assignments and sign-offs ---- */
  function renderMine(page) {
    var root = page.getAttribute("data-root");
    var learner = window.sopkb.learner;
    var mine = page.querySelector("[data-my-assignments]");
    var signedBox = page.querySelector("[data-my-signoffs]");
    [mine, signedBox].forEach(function (box) {  /* back to the page's own "none yet" text for a new learner */
      if (box._empty === undefined) { box._empty = Array.prototype.map.call(box.childNodes, function (n) { return n.cloneNode(true); }); }
      box.replaceChildren.apply(box, box._empty.map(function (n) { return n.cloneNode(true); }));
    });
    var saved = learner.all("assignment");
    var ids = Object.keys(saved).filter(function (id) { return isSpec(saved[id].spec); });  /* storage is untrusted too */
    if (ids.length) {
      mine.textContent = "";
      var list = el("ul", { "class": "sopkb-listing" });
      ids.forEach(function (id) {
        var spec = saved[id].spec;
        var li = el("li", { "data-my-assignment": id });
        li.appendChild(el("a", { href: root + "learning/assignment/#a=" + encode(spec) }, spec.title));
        li.appendChild(el("span", { "class": "sopkb-listing__summary" }, describe(spec)));
        list.appendChild(li);
      });
      mine.appendChild(list);
    }
    var signed = learner.all("ack");
    var sops = Object.keys(signed).filter(isId);
    if (sops.length) {
      var box = signedBox;
      box.textContent = "";
      var ul = el("ul", { "class": "sopkb-listing" });
      sops.forEach(function (sop) {
        var li = el("li");
        var title = typeof signed[sop].title === "string" && signed[sop].title ? signed[sop].title : sop;
        li.appendChild(el("a", { href: root + "sops/" + sop + "/" }, title));
        li.appendChild(el("span", { "class": "sopkb-listing__summary" }, "Signed version " + String(signed[sop].version) + " on " + window.sopkb.progress.day(signed[sop].at)));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-assign-builder]"), initBuilder);
    Array.prototype.forEach.call(document.querySelectorAll("[data-assignment]"), renderAssignment);
    Array.prototype.forEach.call(document.querySelectorAll("[data-certificate]"), renderCertificate);
    Array.prototype.forEach.call(document.querySelectorAll("[data-my-learning]"), renderMine);
  }

  window.addEventListener("hashchange", init);
  document.addEventListener("sopkb:learner", init);
  window.sopkb.onPage(init);
})();
