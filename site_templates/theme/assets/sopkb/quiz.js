/* Quizzes, scored in the browser from the page's JSON answer key (pure/scoring.js). Progress is
   kept under the quiz's fingerprint, so a changed quiz is recognised and never mis-scored. */

import { announce, el, onPage, own, setBuiltHtml } from "./core.js";
import * as learner from "./records.js";
import { describeQuiz, quizRecord } from "./progress-state.js";
import { isRight, percent, withAttempt } from "./pure/scoring.js";

function sameOrder(a, b) { return a.every((node, i) => node === b[i]); }

/* Moving an element takes the focus off it. A learner may already be in the quiz when this
   runs (a slow desk loads the script late), so focus goes back where it was. */
function shuffle(parent, selector) {
  const before = Array.from(parent.querySelectorAll(selector));
  if (before.length < 2) { return; }
  const items = before.slice();
  for (let attempt = 0; attempt < 6 && sameOrder(items, before); attempt++) {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
  }
  if (sameOrder(items, before)) {
    items.push(items.shift());  /* still unchanged (likely with two items): rotate, so a retake always differs */
  }
  const focused = parent.contains(document.activeElement) ? document.activeElement : null;
  items.forEach((node) => parent.appendChild(node));
  if (focused && document.activeElement !== focused) { focused.focus({ preventScroll: true }); }
}

function answerOf(fieldset, kind) {
  if (kind === "order") {
    return Array.from(fieldset.querySelectorAll(".sopkb-order li"), (li) => li.getAttribute("data-item"));
  }
  return Array.from(fieldset.querySelectorAll("input")).filter((input) => input.checked).map((input) => input.value);
}

/* Feedback and explanations are HTML the build rendered from the quiz source (core.js). */
function built(tag, className, html) { return setBuiltHtml(el(tag, { class: className }), html); }

function choiceFeedback(fieldset, question, answer) {
  const shown = question.kind === "multiple"
    ? Object.keys(question.feedback).filter((c) => answer.includes(c) || question.correct.includes(c))
    : answer;
  return shown.map((c) => {
    const input = fieldset.querySelector('input[value="' + c + '"]');
    const label = input && fieldset.querySelector('label[for="' + input.id + '"]');
    const p = el("p", { class: "sopkb-q__choice-feedback" });
    if (question.kind === "multiple" && label) {
      const mark = question.correct.includes(c) ? (answer.includes(c) ? "✓ " : "Missed: ") : "✗ ";
      p.appendChild(el("strong", {}, mark + label.textContent + " — "));
    }
    p.appendChild(built("span", null, own(question.feedback, c)));
    return p;
  });
}

function showFeedback(fieldset, question, answer, right) {
  const box = fieldset.querySelector(".sopkb-q__feedback");
  box.textContent = "";
  box.appendChild(el("p", { class: "sopkb-q__verdict" }, right ? "✓ Correct" : (answer.length ? "✗ Not quite" : "✗ Not answered")));
  if (question.feedback) { box.append(...choiceFeedback(fieldset, question, answer)); }
  if (question.kind === "order") {
    box.appendChild(el("p", {}, "The SOP's order:"));
    box.appendChild(el("ol", { class: "sopkb-q__right-order" },
      ...question.correct.map((item) => el("li", {}, own(question.labels, item)))));
  }
  if (question.explanation) { box.appendChild(built("div", "sopkb-q__explanation", question.explanation)); }
  const review = el("p", { class: "sopkb-q__review" }, "Review in the SOP: ");
  question.steps.forEach((step, i) => {
    if (i) { review.append(" · "); }
    review.appendChild(el("a", { href: step.href }, step.label));
  });
  box.appendChild(review);
  box.hidden = false;
  fieldset.setAttribute("data-result", right ? "correct" : "incorrect");
}

const quizzes = new WeakMap();  /* quiz form -> {form, data, byId, status, result, retake} */

/* "Your best so far", or that the quiz changed since the learner's last attempt. */
function showStatus(quiz) {
  const { record, changed } = quizRecord(quiz.data.id, quiz.data.fingerprint);
  let text = record ? "Your best: " + describeQuiz(record) + " (" + record.attempts + " attempt" +
    (record.attempts === 1 ? "" : "s") + ")." : "";
  if (changed) {
    text = "This quiz has changed since your last attempt (best " + changed.best +
      "% on the earlier version). Earlier results do not count here; take it again.";
  }
  quiz.status.textContent = text;
  quiz.status.hidden = !text;
}

function reshuffle(form) {
  form.querySelectorAll(".sopkb-choices").forEach((box) => shuffle(box, ".sopkb-choice"));
  form.querySelectorAll(".sopkb-order").forEach((ol) => shuffle(ol, "li"));
}

function showResult(quiz, right, total, record, saved) {
  const { data, result } = quiz;
  const score = percent(right, total);
  const passed = score >= data.passMark;
  result.textContent = "";
  result.appendChild(el("h2", { class: "sopkb-quiz__score" },
    (passed ? "Passed: " : "Not passed: ") + right + " of " + total + " right (" + score + "%)"));
  result.appendChild(el("p", {}, "Pass mark " + data.passMark + "%. " +
    (passed ? "Well done." : "Read the feedback under each question, then retake.") + " Best so far: " + record.best + "%."));
  if (!saved) { result.appendChild(learner.notSavedMessage("This result")); }
  result.setAttribute("data-passed", passed ? "true" : "false");
  result.hidden = false;
  quiz.retake.hidden = false;
  showStatus(quiz);
  result.focus();
  announce((passed ? "Passed. " : "Not passed. ") + right + " of " + total + " right, " + score + " percent.");
}

/* Score every question, show its feedback, keep the attempt under the learner's name. */
function check(quiz) {
  const { data, form } = quiz;
  let right = 0;
  const answers = {};
  for (const fieldset of form.querySelectorAll("fieldset[data-q]")) {
    const question = quiz.byId.get(fieldset.getAttribute("data-q"));
    const answer = answerOf(fieldset, question.kind);
    const ok = isRight(question, answer);
    if (ok) { right++; }
    answers[question.id] = answer;
    showFeedback(fieldset, question, answer, ok);
  }
  const total = data.questions.length;
  const record = withAttempt(quizRecord(data.id, data.fingerprint).record, {
    fingerprint: data.fingerprint, passMark: data.passMark, right, total, answers, at: new Date().toISOString(),
  });
  const saved = learner.set("quiz", data.id, record);
  showResult(quiz, right, total, record, saved);
}

function retake(quiz) {
  const { form } = quiz;
  form.reset();
  for (const fieldset of form.querySelectorAll("fieldset[data-q]")) {
    fieldset.removeAttribute("data-result");
    const box = fieldset.querySelector(".sopkb-q__feedback");
    box.hidden = true;
    box.textContent = "";
  }
  reshuffle(form);
  quiz.result.hidden = true;
  quiz.retake.hidden = true;
  const first = form.querySelector("fieldset[data-q] input, fieldset[data-q] button");
  if (first) { first.focus(); }
  announce("Answers cleared and choices shuffled.");
}

function initQuiz(form) {
  if (quizzes.has(form)) { return; }
  const data = JSON.parse(form.querySelector(".sopkb-quiz-key").textContent);
  const quiz = {
    form, data, byId: new Map(data.questions.map((q) => [q.id, q])),
    status: form.querySelector("[data-quiz-status]"),
    result: form.querySelector("[data-quiz-result]"),
    retake: form.querySelector("[data-quiz-retake]"),
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); check(quiz); });
  quiz.retake.addEventListener("click", () => retake(quiz));
  reshuffle(form);
  showStatus(quiz);
  quizzes.set(form, quiz);
  form.setAttribute("data-ready", "1");  /* shuffled and scored from here on */
}

/* Put-in-order questions: buttons, not drag-and-drop, so keyboards and screen readers can do it. */
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest(".sopkb-order__move");
  if (!button) { return; }
  const li = button.closest("li");
  const list = li.parentNode;
  const up = button.getAttribute("data-move") === "up";
  const sibling = up ? li.previousElementSibling : li.nextElementSibling;
  if (!sibling) { return; }
  list.insertBefore(li, up ? sibling : sibling.nextElementSibling);
  button.focus();
  const position = Array.prototype.indexOf.call(list.children, li) + 1;
  announce(li.querySelector(".sopkb-order__label").textContent + " moved to position " + position +
    " of " + list.children.length + ".");
});

export function init() {
  document.querySelectorAll("[data-quiz-form]").forEach(initQuiz);
}

learner.onLearnerChange(() => {
  for (const form of document.querySelectorAll("[data-quiz-form]")) {
    if (quizzes.has(form)) { showStatus(quizzes.get(form)); }
  }
});
onPage(init);
