/* sopkb read-and-sign: on an SOP page a learner signs "I have read version X". The signature is
   kept with the version, so when the SOP's version changes the page (and every path and
   assignment listing it) shows the signature as outdated. Opening the page is remembered too,
   so a path can tell "opened" from "not started". */
(function () {
  "use strict";

  function render(box) {
    var learner = window.sopkb.learner;
    var sop = box.getAttribute("data-sop");
    var version = box.getAttribute("data-version");
    var state = window.sopkb.progress.sopState(sop, version);
    var status = box.querySelector("[data-signoff-status]");
    var button = box.querySelector("[data-signoff-sign]");
    var badge = document.querySelector("[data-signoff-badge]");
    var who = learner.name();
    if (!who) {
      status.textContent = "Give your name, then sign that you have read version " + version + " of this SOP.";
    } else if (state.state === "done") {
      status.textContent = "✓ " + who + ": signed version " + version + " on " + window.sopkb.progress.day(state.record.at) + ".";
    } else if (state.state === "outdated") {
      status.textContent = "Outdated: " + state.text + ".";
    } else {
      status.textContent = who + ": you have not signed version " + version + " yet.";
    }
    box.setAttribute("data-state", who ? state.state : "anonymous");
    button.hidden = !who || state.state === "done";
    if (badge) {
      badge.hidden = !who || (state.state !== "done" && state.state !== "outdated");
      badge.textContent = state.state === "done" ? "✓ Signed" : "Signature outdated";
      badge.setAttribute("data-state", state.state);
    }
  }

  function init() {
    var box = document.querySelector("[data-signoff]");
    if (!box) { return; }
    var learner = window.sopkb.learner;
    var sop = box.getAttribute("data-sop");
    var version = box.getAttribute("data-version");
    if (!learner.get("seen", sop)) { learner.set("seen", sop, { version: version, at: new Date().toISOString() }); }
    var button = box.querySelector("[data-signoff-sign]");
    if (!button.getAttribute("data-ready")) {
      button.setAttribute("data-ready", "1");
      button.addEventListener("click", function () {
        var saved = learner.set("ack", sop, { version: version, title: box.getAttribute("data-title"), at: new Date().toISOString() });
        render(box);
        var status = box.querySelector("[data-signoff-status]");
        if (!saved && !box.querySelector(".sopkb-not-saved")) {
          box.insertBefore(learner.notSavedMessage("Your signature"), status.nextSibling);
        }
        status.focus();
        if (saved) { window.sopkb.announce("Signed: you have read version " + version + "."); }
      });
    }
    box.querySelector("[data-signoff-status]").setAttribute("tabindex", "-1");
    render(box);
  }

  document.addEventListener("sopkb:learner", function () {
    var box = document.querySelector("[data-signoff]");
    if (box) { render(box); }
  });
  window.sopkb.onPage(init);
})();
