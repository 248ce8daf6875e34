/* The learner's assignment page: reads the assignment from the link (#a=…), shows its checklist
   and due date, and once everything is done lets the learner download a receipt (answers,
   scores, versions, a SHA-256 checksum) and open the certificate. */

import { announce, el, onPage } from "./core.js";
import * as learner from "./records.js";
import { itemsOf, status } from "./assignment-items.js";
import { assignmentId, decode, describe, encode, receiptOf, slug, today } from "./pure/assignment-link.js";

function download(receipt) {
  const blob = new Blob([JSON.stringify(receipt, null, 2) + "\n"], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: "receipt-" + slug(receipt.learner) + "-" + receipt.assignment.id + ".json" });
  document.body.appendChild(a);
  a.click();
  window.setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function checklist(root, found, result) {
  return el("ol", { class: "sopkb-path-items sopkb-assignment__items" }, ...found.items.map((item, i) => el("li",
    { class: "sopkb-path-item", "data-assignment-item": item.kind + ":" + item.id },
    item.missing
      ? el("span", {}, "Quiz " + item.id)
      : el("a", { href: root + item.href }, (item.kind === "sop" ? "Read and sign: " : "Pass: ") + item.title),
    " ",
    el("span", { class: "sopkb-item-state", "data-state": result.states[i].state }, result.states[i].text))));
}

function actions(page, spec, found, result) {
  const box = el("div", { class: "sopkb-assignment__actions" });
  if (!result.complete || !learner.name()) {
    box.appendChild(el("p", { class: "sopkb-hint" }, "When every item is done, you can download a receipt for your trainer and print a certificate here."));
    return box;
  }
  const button = el("button", { type: "button", class: "md-button md-button--primary", "data-receipt": "" }, "Download receipt");
  button.addEventListener("click", () => {
    download(receiptOf({
      spec, items: found.items, states: result.states, site: page.getAttribute("data-site"),
      learner: learner.name(), issuedAt: new Date().toISOString(),
    }));
    announce("Receipt downloaded. Send it to your trainer.");
  });
  box.append(button, " ",
    el("a", { class: "md-button", href: page.getAttribute("data-certificate-url") + "#a=" + encode(spec), "data-certificate-link": "" }, "Print certificate"),
    el("p", { class: "sopkb-hint" }, "Done. Download the receipt and send it to your trainer" + (spec.trainer ? " (" + spec.trainer + ")" : "") + "."));
  return box;
}

function render(page) {
  const body = page.querySelector("[data-assignment-body]");
  const link = decode(window.location.hash);
  if (!link || link.problem) {
    body.replaceChildren(el("p", { role: "alert" }, link ? link.problem :
      "Open the link your trainer sent you. This page shows that assignment's checklist."));
    return;
  }
  const spec = link.spec;
  const id = assignmentId(spec);
  page.querySelector("[data-assignment-title]").textContent = spec.title;
  page.querySelector("[data-assignment-meta]").textContent = describe(spec, today());
  document.title = spec.title + " - " + document.title.replace(/^[^-]*- /, "");
  itemsOf(page, spec).then((found) => {
    if (learner.name() && !learner.get("assignment", id)) {
      learner.set("assignment", id, { spec, opened: new Date().toISOString() });
    }
    const result = status(found.items);
    body.replaceChildren();
    if (!learner.name()) {
      body.appendChild(el("p", { class: "sopkb-hint" }, "Give your name above: your checklist, receipt and certificate are kept under it."));
    }
    body.append(
      el("p", { class: "sopkb-assignment__summary", "data-assignment-summary": "" },
        result.done + " of " + found.items.length + " done" + (result.complete ? " · complete" : "")),
      checklist(page.getAttribute("data-root"), found, result),
      actions(page, spec, found, result));
  }, () => {
    body.replaceChildren(el("p", { role: "alert" }, "This assignment names a path that is not on this site. Ask your trainer."));
  });
}

export function init() {
  document.querySelectorAll("[data-assignment]").forEach(render);
}

window.addEventListener("hashchange", init);
learner.onLearnerChange(init);
onPage(init);

