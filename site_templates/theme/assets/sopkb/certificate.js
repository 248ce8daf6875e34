/* The certificate of a completed assignment, made in the browser from the learner's records and
   printed from the page. */

import { el, onPage } from "./core.js";
import * as learner from "./records.js";
import { itemsOf, status } from "./assignment-items.js";
import { decode, describe, encode, receiptOf, today } from "./pure/assignment-link.js";

function card(receipt, spec) {
  const described = describe(spec, today());
  return el("section", { class: "sopkb-certificate", "aria-labelledby": "certificate-title", "data-certificate-card": "" },
    el("p", { class: "sopkb-certificate__site" }, receipt.site),
    el("h2", { id: "certificate-title" }, "Certificate of completion"),
    el("p", { class: "sopkb-certificate__name", "data-certificate-learner": "" }, receipt.learner),
    el("p", {}, "has completed"),
    el("p", { class: "sopkb-certificate__title" }, spec.title),
    described ? el("p", {}, described) : null,
    el("ul", { class: "sopkb-certificate__items" },
      ...receipt.sops_read.map((s) => el("li", {}, "Read and signed: " + s.title + " (version " + s.version + ")")),
      ...receipt.quizzes.map((q) => el("li", {}, "Passed: " + q.title + " — " + q.score + "%"))),
    el("p", {}, "Completed " + receipt.completed_at.slice(0, 10)),
    el("p", { class: "sopkb-certificate__code" }, "Assignment " + receipt.assignment.id + " · receipt " + receipt.checksum.slice(7, 23)));
}

function render(page) {
  const body = page.querySelector("[data-certificate-body]");
  const link = decode(window.location.hash);
  if (!link) { return; }
  if (link.problem) {
    body.replaceChildren(el("p", { role: "alert" }, link.problem));
    return;
  }
  const spec = link.spec;
  itemsOf(page, spec).then((found) => {
    const result = status(found.items);
    if (!result.complete || !learner.name()) {
      body.replaceChildren(
        el("p", { role: "alert" }, "This assignment is not complete yet for this learner, so there is no certificate."),
        el("a", { href: page.getAttribute("data-assignment-url") + "#a=" + encode(spec) }, "Back to the assignment"));
      return;
    }
    const receipt = receiptOf({
      spec, items: found.items, states: result.states, site: page.getAttribute("data-site"),
      learner: learner.name(), issuedAt: new Date().toISOString(),
    });
    const print = el("button", { type: "button", class: "md-button md-button--primary sopkb-certificate__print" }, "Print certificate");
    print.addEventListener("click", () => { window.print(); });
    body.replaceChildren(card(receipt, spec), print);
  });
}

export function init() {
  document.querySelectorAll("[data-certificate]").forEach(render);
}

window.addEventListener("hashchange", init);
learner.onLearnerChange(init);
onPage(init);
