/* sopkb quizzes: scored in the browser from the page's JSON answer key.
   Progress lives in localStorage under the quiz's fingerprint, so a changed quiz is recognised
   and never mis-scored. Everything is event delegation plus an init per page, so it keeps
   working with Material's instant navigation. */
(function () {
  "use strict";

  /* learner.js keeps records per learner name, on this browser. */
  function load(id) { return window.sopkb.learner.get("quiz", id); }
  function save(id, record) { return window.sopkb.learner.set("quiz", id, record); }

  /* The record for this version of the quiz; an older version's result is kept only as history. */
  function current(id, fingerprint) {
    var record = load(id);
    if (record && record.fingerprint === fingerprint) { return { record: record, changed: null }; }
    return { record: null, changed: record };
  }

  function sameOrder(a, b) { return a.every(function (el, i) { return el === b[i]; }); }

  /* Moving an element takes the focus off it. A learner may already be in the quiz when this
     runs (a slow desk loads the script late), so focus goes back where it was. */
  function shuffle(parent, selector) {
    var before = Array.prototype.slice.call(parent.querySelectorAll(selector));
    if (before.length < 2) { return; }
    var items = before.slice();
    for (var attempt = 0; attempt < 6 && sameOrder(items, before); attempt++) {
      for (var i = items.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var tmp = items[i]; items[i] = items[j]; items[j] = tmp;
      }
    }
    if (sameOrder(items, before)) {
      items.push(items.shift());  /* still unchanged (likely with two items): rotate, so a retake always differs */
    }
    var focused = parent.contains(document.activeElement) ? document.activeElement : null;
    items.forEach(function (el) { parent.appendChild(el); });
    if (focused && document.activeElement !== focused) { focused.focus({ preventScroll: true }); }
  }

  function announce(message) { window.sopkb.announce(message); }  /* sopkb.js, loaded first */

  function answerOf(fieldset, kind) {
    if (kind === "order") {
      return Array.prototype.map.call(fieldset.querySelectorAll(".sopkb-order li"), function (li) {
        return li.getAttribute("data-item");
      });
    }
    return Array.prototype.filter.call(fieldset.querySelectorAll("input"), function (input) {
      return input.checked;
    }).map(function (input) { return input.value; });
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (x) { return b.indexOf(x) !== -1; });
  }

  function isRight(question, answer) {
    if (question.kind === "order") { return answer.join("|") === question.correct.join("|"); }
    return sameSet(answer, question.correct);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Feedback and explanations are HTML the build rendered from the quiz source (sopkb.js). */
  function built(tag, className, html) { return window.sopkb.setBuiltHtml(el(tag, className), html); }

  function showFeedback(fieldset, question, answer, right) {
    var box = fieldset.querySelector(".sopkb-q__feedback");
    box.textContent = "";
    box.appendChild(el("p", "sopkb-q__verdict", right ? "✓ Correct" : (answer.length ? "✗ Not quite" : "✗ Not answered")));
    if (question.feedback) {
      var shown = question.kind === "multiple"
        ? Object.keys(question.feedback).filter(function (c) {
            return answer.indexOf(c) !== -1 || question.correct.indexOf(c) !== -1;
          })
        : answer;
      shown.forEach(function (c) {
        var input = fieldset.querySelector('input[value="' + c + '"]');
        var label = input && fieldset.querySelector('label[for="' + input.id + '"]');
        var p = el("p", "sopkb-q__choice-feedback");
        if (question.kind === "multiple" && label) {
          var mark = question.correct.indexOf(c) !== -1 ? (answer.indexOf(c) !== -1 ? "✓ " : "Missed: ") : "✗ ";
          p.appendChild(el("strong", "", mark + label.textContent + " — "));
        }
        p.appendChild(built("span", "", window.sopkb.own(question.feedback, c)));
        box.appendChild(p);
      });
    }
    if (question.kind === "order") {
      var ol = el("ol", "sopkb-q__right-order");
      question.correct.forEach(function (item) { ol.appendChild(el("li", "", window.sopkb.own(question.labels, item))); });
      box.appendChild(el("p", "", "The SOP's order:"));
      box.appendChild(ol);
    }
    if (question.explanation) { box.appendChild(built("div", "sopkb-q__explanation", question.explanation)); }
    var review = el("p", "sopkb-q__review", "Review in the SOP: ");
    question.steps.forEach(function (step, i) {
      var a = document.createElement("a");
      a.href = step.href;
      a.textContent = step.label;
      if (i) { review.appendChild(document.createTextNode(" · ")); }
      review.appendChild(a);
    });
    box.appendChild(review);
    box.hidden = false;
    fieldset.setAttribute("data-result", right ? "correct" : "incorrect");
  }

  function describe(record) {
    if (!record) { return "Not started"; }
    return (record.passed ? "Passed" : "Not passed yet") + " · best " + record.best + "%";
  }

  function initQuiz(form) {
    if (form._sopkbQuiz) { return; }
    form._sopkbQuiz = true;
    var data = JSON.parse(form.querySelector(".sopkb-quiz-key").textContent);
    var byId = new Map();
    data.questions.forEach(function (q) { byId.set(q.id, q); });
    var status = form.querySelector("[data-quiz-status]");
    var result = form.querySelector("[data-quiz-result]");
    var retake = form.querySelector("[data-quiz-retake]");

    function showStatus() {
      var state = current(data.id, data.fingerprint);
      var text = state.record ? "Your best: " + describe(state.record) + " (" + state.record.attempts + " attempt" +
        (state.record.attempts === 1 ? "" : "s") + ")." : "";
      if (state.changed) {
        text = "This quiz has changed since your last attempt (best " + state.changed.best +
          "% on the earlier version). Earlier results do not count here; take it again.";
      }
      status.textContent = text;
      status.hidden = !text;
    }

    function reshuffle() {
      Array.prototype.forEach.call(form.querySelectorAll(".sopkb-choices"), function (box) { shuffle(box, ".sopkb-choice"); });
      Array.prototype.forEach.call(form.querySelectorAll(".sopkb-order"), function (ol) { shuffle(ol, "li"); });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var right = 0;
      var answers = {};
      Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-q]"), function (fieldset) {
        var question = byId.get(fieldset.getAttribute("data-q"));
        var answer = answerOf(fieldset, question.kind);
        var ok = isRight(question, answer);
        if (ok) { right++; }
        answers[question.id] = answer;
        showFeedback(fieldset, question, answer, ok);
      });
      var total = data.questions.length;
      var percent = Math.round((100 * right) / total);
      var passed = percent >= data.passMark;
      var state = current(data.id, data.fingerprint);
      var record = state.record || { fingerprint: data.fingerprint, best: 0, passed: false, attempts: 0 };
      record.attempts += 1;
      record.last = percent;
      record.at = new Date().toISOString();
      if (!record.bestAttempt || percent > record.best) {
        /* The answers behind the best score: a receipt carries them, so a report can re-score them. */
        record.bestAttempt = { score: percent, right: right, total: total, answers: answers, at: record.at };
      }
      record.best = Math.max(record.best, percent);
      record.passed = record.passed || passed;
      var saved = save(data.id, record);
      result.textContent = "";
      result.appendChild(el("h2", "sopkb-quiz__score", "")).textContent =
        (passed ? "Passed: " : "Not passed: ") + right + " of " + total + " right (" + percent + "%)";
      result.appendChild(el("p", "", "")).textContent = "Pass mark " + data.passMark + "%. " +
        (passed ? "Well done." : "Read the feedback under each question, then retake.") + " Best so far: " + record.best + "%.";
      if (!saved) { result.appendChild(window.sopkb.learner.notSavedMessage("This result")); }
      result.setAttribute("data-passed", passed ? "true" : "false");
      result.hidden = false;
      retake.hidden = false;
      showStatus();
      result.focus();
      announce((passed ? "Passed. " : "Not passed. ") + right + " of " + total + " right, " + percent + " percent.");
    });

    retake.addEventListener("click", function () {
      form.reset();
      Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-q]"), function (fieldset) {
        fieldset.removeAttribute("data-result");
        var box = fieldset.querySelector(".sopkb-q__feedback");
        box.hidden = true;
        box.textContent = "";
      });
      reshuffle();
      result.hidden = true;
      retake.hidden = true;
      var first = form.querySelector("fieldset[data-q] input, fieldset[data-q] button");
      if (first) { first.focus(); }
      announce("Answers cleared and choices shuffled.");
    });

    reshuffle();
    showStatus();
    form._showStatus = showStatus;
    form.setAttribute("data-ready", "1");  /* shuffled and scored from here on */
  }

  /* Put-in-order questions: buttons, not drag-and-drop, so keyboards and screen readers can do it. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".sopkb-order__move");
    if (!button) { return; }
    var li = button.closest("li");
    var list = li.parentNode;
    var up = button.getAttribute("data-move") === "up";
    var sibling = up ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) { return; }
    list.insertBefore(li, up ? sibling : sibling.nextElementSibling);
    button.focus();
    var position = Array.prototype.indexOf.call(list.children, li) + 1;
    announce(li.querySelector(".sopkb-order__label").textContent + " moved to position " + position +
      " of " + list.children.length + ".");
  });

  function initListings() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-quiz-id]"), function (item) {
      var state = current(item.getAttribute("data-quiz-id"), item.getAttribute("data-fingerprint"));
      var target = item.querySelector("[data-quiz-state]");
      target.textContent = state.changed && !state.record ? "Changed since your last attempt" : describe(state.record);
      target.setAttribute("data-state", state.record ? (state.record.passed ? "passed" : "attempted") : "new");
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-quiz-form]"), initQuiz);
    initListings();
  }
  document.addEventListener("sopkb:learner", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-quiz-form]"), function (form) {
      if (form._showStatus) { form._showStatus(); }
    });
    initListings();
  });

  window.sopkb.quizRecord = current;  /* for progress.js and assign.js */
  window.sopkb.onPage(init);  /* sopkb.js, loaded first */
})();
