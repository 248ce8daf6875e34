/* The learner box: "Learning as Ana · Change", or a form to give a name. Everything a learner
   does is kept under that name, in this browser only (records.js). */

import { announce, el, onPage } from "./core.js";
import * as learner from "./records.js";

let boxes = 0;

function nameForm(box, who) {
  const id = "sopkb-learner-" + (++boxes);
  const input = el("input", {
    id, type: "text", maxlength: "80", autocomplete: "name", list: id + "-known", "aria-describedby": id + "-hint",
  });
  input.value = who;
  const known = el("datalist", { id: id + "-known" });
  for (const n of learner.names()) { known.appendChild(el("option")).value = n; }
  const form = el("form", { class: "sopkb-learner__form", "data-learner-form": "" },
    el("label", { for: id }, "Your name"), " ", input, " ",
    el("button", { type: "submit", class: "md-button md-button--primary" }, "Save name"),
    el("span", { class: "sopkb-hint", id: id + "-hint" },
      "Your progress, sign-offs and receipts are kept under this name, in this browser only."),
    known);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) { input.focus(); return; }
    learner.setName(input.value);
    announce("Learning as " + learner.name() + ".");
  });
  return form;
}

function render(box, editing) {
  const who = learner.name();
  box.textContent = "";
  if (who && !editing) {
    const change = el("button", { type: "button", class: "md-button sopkb-learner__change" }, "Not you? Change learner");
    change.addEventListener("click", () => { render(box, true); box.querySelector("input").focus(); });
    box.appendChild(el("p", {}, "Learning as ", el("strong", {}, who), ". ", change));
    return;
  }
  box.appendChild(nameForm(box, who));
}

export function init() {
  for (const box of document.querySelectorAll("[data-learner-box]")) { render(box, false); }
}

learner.onLearnerChange(() => {
  for (const box of document.querySelectorAll("[data-learner-box]")) {
    const focused = box.contains(document.activeElement);
    render(box, false);
    if (focused) { const button = box.querySelector("button"); if (button) { button.focus(); } }
  }
});
onPage(init);
