/* sopkb progress: the state of each thing a learner has to do (read and sign an SOP, pass a
   quiz), from the records learner.js keeps. Path pages, "My learning" and assignments all show
   items through `itemState`, so they always agree. */
(function () {
  "use strict";

  function day(iso) { return typeof iso === "string" ? iso.slice(0, 10) : ""; }

  /* An SOP counts as read once signed at its current version; an older signature is outdated. */
  function sopState(id, version) {
    var ack = window.sopkb.learner.get("ack", id);
    if (ack && ack.version === version) {
      return { state: "done", text: "Signed version " + version + " on " + day(ack.at), record: ack };
    }
    if (ack) {
      return { state: "outdated", text: "You signed version " + ack.version + "; now version " + version + ": read it again and sign" };
    }
    var seen = window.sopkb.learner.get("seen", id);
    return seen ? { state: "started", text: "Opened, not signed yet" } : { state: "new", text: "Not started" };
  }

  function quizState(id, fingerprint, passMark) {
    var found = window.sopkb.quizRecord(id, fingerprint);
    var record = found.record;
    if (record && record.passed) { return { state: "done", text: "Passed · best " + record.best + "%", record: record }; }
    if (record) { return { state: "started", text: "Not passed yet · best " + record.best + "%" + (passMark ? " (pass mark " + passMark + "%)" : "") }; }
    if (found.changed) { return { state: "outdated", text: "Changed since your last attempt: take it again" }; }
    return { state: "new", text: "Not started" };
  }

  function itemState(item) {
    return item.kind === "sop" ? sopState(item.id, item.version) : quizState(item.id, item.fingerprint, item.passMark);
  }

  function itemOf(el) {
    return {
      kind: el.getAttribute("data-kind"),
      id: el.getAttribute("data-id"),
      version: el.getAttribute("data-version"),
      fingerprint: el.getAttribute("data-fingerprint")
    };
  }

  function showSummary(box, done, total) {
    var bar = box.querySelector("progress");
    bar.value = done;
    box.querySelector("[data-path-progress-text]").textContent = done + " of " + total + " done" +
      (done === total && total ? " · complete" : "");
    box.setAttribute("data-done", String(done));
  }

  function refresh() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-path], [data-path-card]"), function (scope) {
      var items = scope.querySelectorAll("[data-progress-item]");
      var done = 0;
      Array.prototype.forEach.call(items, function (el) {
        var state = itemState(itemOf(el));
        var label = el.querySelector("[data-item-state]");
        label.textContent = state.text;
        label.setAttribute("data-state", state.state);
        if (state.state === "done") { done++; }
      });
      var box = scope.querySelector("[data-path-progress]");
      if (box) { showSummary(box, done, items.length); }
    });
  }

  window.sopkb.progress = { itemState: itemState, sopState: sopState, quizState: quizState, day: day };
  document.addEventListener("sopkb:learner", refresh);
  window.sopkb.onPage(refresh);
})();
