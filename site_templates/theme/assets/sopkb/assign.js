/* The trainer's "Assign work" page: choose a path and quizzes, a due date and a cohort, and get
   a link that carries the assignment (pure/assignment-link.js). */

import { announce, copyAndAnnounce, el, fetchJson, onPage } from "./core.js";
import { FIELDS, MAX_QUIZZES, encode, today } from "./pure/assignment-link.js";

const MAX_SHOWN = 50;

/* The rules a learner's page reads links by (FIELDS), said as what to change; null when the
   assignment is sound, else [the field to go to, what to do]. */
function problemOf(spec) {
  const fix = {
    title: spec.title ? "Shorten the title to 200 characters or fewer." : "Give the assignment a title.",
    cohort: "Shorten the cohort to 100 characters or fewer.",
    trainer: "Shorten your name to 100 characters or fewer.",
    due: "Give the due date as a date.",
  };
  const wrong = Object.keys(fix).find((k) => !FIELDS[k](spec[k]));
  if (wrong) { return [wrong, fix[wrong]]; }
  if (!spec.path && !spec.quizzes.length) { return ["path", "Choose a learning path or at least one quiz."]; }
  if (spec.quizzes.length > MAX_QUIZZES) {
    return ["filter", "Choose at most " + MAX_QUIZZES + " quizzes (" + spec.quizzes.length + " chosen); split the work into two assignments."];
  }
  return null;
}

/* The quiz picker: a filter box and at most MAX_SHOWN matching quizzes, chosen ones always shown. */
function picker(form) {
  const box = form.querySelector("[data-assign-quizzes]");
  const filter = form.querySelector("[data-assign-filter]");
  const count = form.querySelector("[data-assign-count]");
  const chosen = new Set();
  let quizzes = [];

  function chosenText() {
    return chosen.size + " quiz(zes) chosen." + (chosen.size > MAX_QUIZZES ? " At most " + MAX_QUIZZES + " fit in one assignment." : "");
  }

  function row(q) {
    const id = "assign-q-" + q.id;
    const input = el("input", { type: "checkbox", id, value: q.id });
    input.checked = chosen.has(q.id);
    input.addEventListener("change", () => {
      if (input.checked) { chosen.add(q.id); } else { chosen.delete(q.id); }
      count.textContent = chosenText();
    });
    return el("div", { class: "sopkb-choice" }, input, el("label", { for: id }, q.title + (q.drill ? " (drill)" : "") + " — " + q.sop));
  }

  function show() {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = quizzes.filter((q) => {
      const text = (q.title + " " + q.sop + " " + q.id).toLowerCase();
      return chosen.has(q.id) || words.every((w) => text.includes(w));
    });
    box.replaceChildren(...matches.slice(0, MAX_SHOWN).map(row));
    count.textContent = chosenText() +
      (matches.length > MAX_SHOWN ? " Showing " + MAX_SHOWN + " of " + matches.length + " matches: type to narrow." : "");
  }

  fetchJson(form.getAttribute("data-catalog"), { cache: "no-cache" }).then((catalog) => { quizzes = catalog.quizzes; show(); }, () => {
    box.replaceChildren(el("p", { role: "alert" }, "The quiz list could not be loaded."));
  });
  filter.addEventListener("input", show);
  return { chosenIds: () => quizzes.filter((q) => chosen.has(q.id)).map((q) => q.id) };
}

function initBuilder(form) {
  if (form.getAttribute("data-ready")) { return; }
  form.setAttribute("data-ready", "1");
  const quizzes = picker(form);
  const linkField = form.querySelector("[data-assign-link]");

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const error = form.querySelector("[data-assign-error]");
    const value = (name) => form.elements[name].value.trim();
    const spec = {
      v: 1, title: value("title"), cohort: value("cohort") || null, due: value("due") || null,
      trainer: value("trainer") || null, path: value("path") || null,
      quizzes: quizzes.chosenIds(), created: today(),
    };
    const problem = problemOf(spec);
    error.hidden = !problem;
    if (problem) {
      error.textContent = problem[1];
      form.elements[problem[0]].focus();
      return;
    }
    const url = new URL(form.getAttribute("data-assignment-url"), window.location.href).href + "#a=" + encode(spec);
    form.querySelector("[data-assign-result]").hidden = false;
    linkField.value = url;
    form.querySelector("[data-assign-open]").href = url;
    linkField.focus();
    linkField.select();
    announce("Assignment link created. Copy it and send it to your learners.");
  });
  form.querySelector("[data-assign-copy]").addEventListener("click", () => {
    copyAndAnnounce(linkField.value, "Link copied to the clipboard", "Could not copy; select the link instead");
  });
}

export function init() {
  document.querySelectorAll("[data-assign-builder]").forEach(initBuilder);
}

onPage(init);
