/* Guided call mode: walks an SOP's steps and branches from the page's flow data, one step at a
   time, so an agent with a customer on the line sees only what to say and do now. Keyboard:
   number keys pick an answer. Focus moves to each new step and it is announced. */
(function () {
  "use strict";

  var CARRY = "sopkb.guided.carry";  /* the path so far, when a branch continues in another SOP */
  var MAX_CARRIED = 200;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  /* The flow data's lists are HTML the build rendered from the SOP source (sopkb.js). */
  function htmlList(items, className) {
    var ul = el("ul", className);
    items.forEach(function (html) { ul.appendChild(window.sopkb.setBuiltHtml(el("li"), html)); });
    return ul;
  }
  function button(label, attrs, primary) {
    var b = el("button", "md-button" + (primary ? " md-button--primary" : ""), label);
    b.type = "button";
    Object.keys(attrs || {}).forEach(function (k) { b.setAttribute(k, attrs[k]); });
    return b;
  }

  function Guide(section) {
    this.section = section;
    this.view = section.querySelector("[data-guided-view]");
    this.data = JSON.parse(section.querySelector(".sopkb-guided-data").textContent);
    this.path = [];
    this.current = null;
  }

  /* A step of this SOP by id; the id may come from the address (#guided=<step>). */
  Guide.prototype.step = function (stepId) { return window.sopkb.own(this.data.steps, stepId); };

  Guide.prototype.start = function (stepId, carried) {
    this.path = carried || [];
    this.section.hidden = false;
    this.show(stepId && this.step(stepId) ? stepId : this.data.start);
  };

  Guide.prototype.show = function (stepId) {
    this.current = stepId;
    var step = this.step(stepId);
    var self = this;
    this.view.textContent = "";
    this.view.appendChild(this.toolbar());
    var card = el("div", "sopkb-guided__step");
    var heading = el("h3", "sopkb-guided__title", "Step " + step.number + ": " + step.title);
    heading.tabIndex = -1;
    heading.id = "guided-current";
    card.appendChild(heading);
    this.say(card, step.say, "Say");
    if (step.ask.length) { card.appendChild(el("p", "sopkb-label", "Ask")); card.appendChild(htmlList(step.ask)); }
    if (step.do.length) { card.appendChild(el("p", "sopkb-label", "Do")); card.appendChild(htmlList(step.do)); }
    if (step.verify.length) { card.appendChild(el("p", "sopkb-label", "Verify")); card.appendChild(htmlList(step.verify)); }
    if (step.branches) {
      card.appendChild(el("p", "sopkb-guided__question", step.question));
      var group = el("div", "sopkb-guided__answers");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", step.question + " (press the answer's number)");
      step.branches.forEach(function (branch, i) {
        var b = button((i + 1) + ". " + branch.answer, { "data-answer": String(i) }, false);
        b.addEventListener("click", function () { self.answer(i); });
        group.appendChild(b);
      });
      card.appendChild(group);
    } else {
      card.appendChild(this.goButton(step.next, function () { self.follow(step.next, null); }));
    }
    this.view.appendChild(card);
    this.view.appendChild(this.pathList());
    heading.focus();
    window.sopkb.announce("Step " + step.number + ": " + step.title);
  };

  Guide.prototype.toolbar = function () {
    var self = this;
    var bar = el("div", "sopkb-guided__bar");
    var title = el("h2", "sopkb-guided__heading", "Guided call: " + this.data.title);
    title.id = "guided-title";
    bar.appendChild(title);
    var back = button("Back", { "data-guided-back": "" });
    back.disabled = !this.path.length;
    back.addEventListener("click", function () { self.back(); });
    var restart = button("Restart", { "data-guided-restart": "" });
    restart.addEventListener("click", function () { self.start(null, []); });
    var close = button("Close", { "data-guided-close": "" });
    close.addEventListener("click", function () { self.close(); });
    [back, restart, close].forEach(function (b) { bar.appendChild(b); });
    return bar;
  };

  Guide.prototype.say = function (parent, say, label) {
    if (!say.html.length) { return; }
    var box = el("div", "sopkb-say");
    box.appendChild(el("p", "sopkb-say__label", label));
    box.appendChild(htmlList(say.html));
    var copy = button("Copy", { "class": "md-button sopkb-copy", "data-copy": say.text, "aria-label": "Copy what to say" });
    box.appendChild(copy);
    parent.appendChild(box);
  };

  Guide.prototype.goButton = function (target, onClick) {
    var label = target.kind === "end" ? "End call and write notes"
      : target.kind === "sop" ? "Continue with SOP: " + target.title : "Next: " + target.label;
    var b = button(label, { "data-guided-next": "" }, true);
    b.addEventListener("click", onClick);
    return b;
  };

  Guide.prototype.answer = function (index) {
    var step = this.step(this.current);
    var branch = step.branches[index];
    if (!branch) { return; }
    if (branch.do.length || branch.say.html.length) {
      /* the branch has its own words or actions: show them before moving on */
      var self = this;
      var card = this.view.querySelector(".sopkb-guided__step");
      var answers = card.querySelector(".sopkb-guided__answers");
      var box = el("div", "sopkb-guided__branch");
      var heading = el("p", "sopkb-guided__chosen", "Answer: " + branch.answer);
      heading.tabIndex = -1;
      box.appendChild(heading);
      this.say(box, branch.say, "Say");
      if (branch.do.length) { box.appendChild(htmlList(branch.do)); }
      box.appendChild(this.goButton(branch.goto, function () { self.follow(branch.goto, branch.answer); }));
      answers.replaceWith(box);
      heading.focus();
      window.sopkb.announce("Answer: " + branch.answer);
      return;
    }
    this.follow(branch.goto, branch.answer);
  };

  Guide.prototype.follow = function (target, answer) {
    var step = this.step(this.current);
    this.path.push({ sop: this.data.title, step: this.current, number: step.number, title: step.title,
                     question: step.question || null, answer: answer });
    if (target.kind === "step") { this.show(target.step); return; }
    if (target.kind === "sop") {
      try { window.sessionStorage.setItem(CARRY, JSON.stringify(this.path)); } catch (e) { /* no carry-over */ }
      window.location.href = target.href + "#guided" + (target.step ? "=" + target.step : "");
      return;
    }
    this.end();
  };

  Guide.prototype.back = function () {
    var last = this.path.pop();
    if (last && last.sop === this.data.title) { this.show(last.step); }
    else if (last) { this.path.push(last); }
  };

  Guide.prototype.pathList = function () {
    var box = el("div", "sopkb-guided__path");
    box.appendChild(el("p", "sopkb-label", "Path so far"));
    var ol = el("ol");
    this.path.forEach(function (p) {
      ol.appendChild(el("li", "", "Step " + p.number + ": " + p.title + (p.answer ? " — " + p.answer : "")));
    });
    if (!this.path.length) { ol.appendChild(el("li", "", "Just started")); }
    box.appendChild(ol);
    return box;
  };

  Guide.prototype.notes = function (disposition) {
    var lines = ["SOP: " + this.data.title + " (version " + this.data.version + ")", "Steps taken:"];
    this.path.forEach(function (p, i) {
      lines.push((i + 1) + ". " + (p.sop !== this.data.title ? "[" + p.sop + "] " : "") + "Step " + p.number +
        ": " + p.title + (p.answer ? " — " + p.question + " " + p.answer : ""));
    }, this);
    lines.push("Disposition: " + (disposition || "(choose one)"));
    if (this.data.record.length) {
      lines.push("Record:");
      this.data.record.forEach(function (r) { lines.push("- " + r + " "); });
    }
    return lines.join("\n");
  };

  Guide.prototype.end = function () {
    var self = this;
    this.current = null;
    this.view.textContent = "";
    this.view.appendChild(this.toolbar());
    var card = el("div", "sopkb-guided__step sopkb-guided__end");
    var heading = el("h3", "sopkb-guided__title", "Call notes");
    heading.tabIndex = -1;
    heading.id = "guided-current";
    card.appendChild(heading);
    var field = el("p");
    var label = el("label", "", "Disposition ");
    var select = el("select");
    select.id = "guided-disposition";
    label.setAttribute("for", select.id);
    select.appendChild(el("option", "", "(choose one)")).value = "";
    this.data.dispositions.forEach(function (d) {
      var text = d.label + (d.code ? " (" + d.code + ")" : "");
      select.appendChild(el("option", "", text)).value = text;
    });
    field.appendChild(label);
    field.appendChild(select);
    card.appendChild(field);
    var notesLabel = el("label", "sopkb-label", "Notes for the case (edit before copying)");
    var area = el("textarea", "sopkb-guided__notes");
    area.id = "guided-notes";
    area.rows = 10;
    notesLabel.setAttribute("for", area.id);
    area.value = this.notes("");
    var edited = false;
    area.addEventListener("input", function () { edited = true; });
    select.addEventListener("change", function () { if (!edited) { area.value = self.notes(select.value); } });
    card.appendChild(notesLabel);
    card.appendChild(area);
    var copy = button("Copy call notes", { "data-guided-copy-notes": "" }, true);
    copy.addEventListener("click", function () {
      window.sopkb.copy(area.value).then(function () {
        copy.textContent = "Copied";
        window.sopkb.announce("Call notes copied to the clipboard");
      }, function () { window.sopkb.announce("Could not copy; select the notes instead"); });
    });
    card.appendChild(copy);
    this.view.appendChild(card);
    this.view.appendChild(this.pathList());
    heading.focus();
    window.sopkb.announce("Call ended. Call notes are ready to copy.");
  };

  Guide.prototype.close = function () {
    this.section.hidden = true;
    var start = document.querySelector("[data-guided-start]");
    if (start) { start.focus(); }
  };

  var guide = null;

  document.addEventListener("keydown", function (event) {
    if (!guide || guide.section.hidden || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    if (/^[1-9]$/.test(event.key)) {
      var answer = guide.view.querySelector('[data-answer="' + (Number(event.key) - 1) + '"]');
      if (answer) { event.preventDefault(); answer.click(); }
    }
  });

  /* The path taken in the SOP that handed over. Storage is read as untrusted data: only the
     fields the guide shows, as text, and no more entries than a call could take. */
  function carriedPath() {
    var carried = null;
    try {
      carried = JSON.parse(window.sessionStorage.getItem(CARRY) || "null");
      window.sessionStorage.removeItem(CARRY);
    } catch (e) { carried = null; }
    if (!Array.isArray(carried)) { return []; }
    function text(value) { return typeof value === "string" ? value.slice(0, 500) : null; }
    return carried.slice(-MAX_CARRIED).filter(function (p) { return p && typeof p === "object"; }).map(function (p) {
      return { sop: text(p.sop) || "", step: text(p.step) || "", number: text(p.number) || "", title: text(p.title) || "",
               question: text(p.question), answer: text(p.answer) };
    });
  }

  function init() {
    var section = document.getElementById("guided");
    var start = document.querySelector("[data-guided-start]");
    guide = section ? new Guide(section) : null;
    if (!guide || !start) { return; }
    start.hidden = false;
    start.onclick = function () { guide.start(null, []); };
    var match = /^#guided(?:=([a-z0-9-]+))?$/.exec(window.location.hash);
    if (match) {
      guide.start(match[1] || null, carriedPath());
    }
  }

  window.sopkb.onPage(init);  /* sopkb.js, loaded first */
})();
