/* Guided call mode: walks an SOP's steps and branches from the page's flow data, one step at a
   time, so an agent with a customer on the line sees only what to say and do now. Keyboard:
   number keys pick an answer. Focus moves to each new step and it is announced. */

import { announce, copyAndAnnounce, el, onPage, own, session, setBuiltHtml } from "./core.js";
import { procedureCallouts, procedureMessages, stepParts } from "./guided-parts.js";
import "./page-tools.js";  /* the copy buttons of what to say */

const CARRY = "sopkb.guided.carry";  /* the path so far, when a branch continues in another SOP */
const MAX_CARRIED = 200;

/* The flow data's lists are HTML the build rendered from the SOP source (core.js). */
function htmlList(items) {
  return el("ul", {}, ...items.map((html) => setBuiltHtml(el("li"), html)));
}

function button(label, attributes, primary) {
  return el("button", { type: "button", class: "md-button" + (primary ? " md-button--primary" : ""), ...attributes }, label);
}

/* A step's title: focused and announced when it is shown. */
function stepHeading(text) {
  return el("h3", { class: "sopkb-guided__title", tabindex: "-1", id: "guided-current" }, text);
}

function labelled(parent, label, items) {
  if (items.length) { parent.append(el("p", { class: "sopkb-label" }, label), htmlList(items)); }
}

class Guide {
  constructor(section) {
    this.section = section;
    this.view = section.querySelector("[data-guided-view]");
    this.data = JSON.parse(section.querySelector(".sopkb-guided-data").textContent);
    this.path = [];
    this.current = null;
  }

  /** A step of this SOP by id; the id may come from the address (#guided=<step>). */
  step(stepId) { return own(this.data.steps, stepId); }

  start(stepId, carried) {
    this.path = carried || [];
    this.section.hidden = false;
    this.show(stepId && this.step(stepId) ? stepId : this.data.start);
  }

  /* The toolbar, `card`, and the path so far; then the focus goes to `heading`. */
  render(card, heading, message) {
    this.view.replaceChildren(this.toolbar(), card, this.pathList());
    heading.focus();
    announce(message);
  }

  show(stepId) {
    this.current = stepId;
    const step = this.step(stepId);
    const heading = stepHeading("Step " + step.number + ": " + step.title);
    const card = el("div", { class: "sopkb-guided__step" }, heading, procedureCallouts(!this.path.length));
    const parts = stepParts(stepId);
    if (parts) {
      card.appendChild(parts);
    } else {
      this.say(card, step.say);
      labelled(card, "Ask", step.ask);
      labelled(card, "Do", step.do);
      labelled(card, "Verify", step.verify);
    }
    if (step.branches) {
      card.append(el("p", { class: "sopkb-guided__question" }, step.question), el("div",
        { class: "sopkb-guided__answers", role: "group", "aria-label": step.question + " (press the answer's number)" },
        ...step.branches.map((branch, i) => {
          const b = button((i + 1) + ". " + branch.answer, { "data-answer": String(i) }, false);
          b.addEventListener("click", () => this.answer(i));
          return b;
        })));
    } else {
      card.appendChild(this.goButton(step.next, () => this.follow(step.next, null)));
    }
    this.render(card, heading, "Step " + step.number + ": " + step.title);
  }

  toolbar() {
    const back = button("Back", { "data-guided-back": "" });
    back.disabled = !this.path.length;
    back.addEventListener("click", () => this.back());
    const restart = button("Restart", { "data-guided-restart": "" });
    restart.addEventListener("click", () => this.start(null, []));
    const close = button("Close", { "data-guided-close": "" });
    close.addEventListener("click", () => this.close());
    return el("div", { class: "sopkb-guided__bar" },
      el("h2", { class: "sopkb-guided__heading", id: "guided-title" }, "Guided call: " + this.data.title),
      back, restart, close);
  }

  say(parent, say) {
    if (!say.html.length) { return; }
    parent.appendChild(el("div", { class: "sopkb-say" },
      el("p", { class: "sopkb-say__label" }, "Say"),
      htmlList(say.html),
      button("Copy", { class: "md-button sopkb-copy", "data-copy": say.text, "aria-label": "Copy what to say" })));
  }

  goButton(target, onClick) {
    const label = target.kind === "end" ? "End call and write notes"
      : target.kind === "sop" ? "Continue with SOP: " + target.title : "Next: " + target.label;
    const b = button(label, { "data-guided-next": "" }, true);
    b.addEventListener("click", onClick);
    return b;
  }

  answer(index) {
    const branch = this.step(this.current).branches[index];
    if (!branch) { return; }
    if (!branch.do.length && !branch.say.html.length) { this.follow(branch.goto, branch.answer); return; }
    /* the branch has its own words or actions: show them before moving on */
    const heading = el("p", { class: "sopkb-guided__chosen", tabindex: "-1" }, "Answer: " + branch.answer);
    const box = el("div", { class: "sopkb-guided__branch" }, heading);
    this.say(box, branch.say);
    if (branch.do.length) { box.appendChild(htmlList(branch.do)); }
    box.appendChild(this.goButton(branch.goto, () => this.follow(branch.goto, branch.answer)));
    this.view.querySelector(".sopkb-guided__step .sopkb-guided__answers").replaceWith(box);
    heading.focus();
    announce("Answer: " + branch.answer);
  }

  follow(target, answer) {
    const step = this.step(this.current);
    this.path.push({ sop: this.data.title, step: this.current, number: step.number, title: step.title,
                     question: step.question || null, answer });
    if (target.kind === "step") { this.show(target.step); return; }
    if (target.kind === "sop") {
      session.write(CARRY, this.path);  /* if storage refuses, the next SOP starts a fresh path */
      window.location.href = target.href + "#guided" + (target.step ? "=" + target.step : "");
      return;
    }
    this.end();
  }

  back() {
    const last = this.path.pop();
    if (last && last.sop === this.data.title) { this.show(last.step); }
    else if (last) { this.path.push(last); }
  }

  pathList() {
    const steps = this.path.map((p) => el("li", {}, "Step " + p.number + ": " + p.title + (p.answer ? " — " + p.answer : "")));
    return el("div", { class: "sopkb-guided__path" },
      el("p", { class: "sopkb-label" }, "Path so far"),
      el("ol", {}, ...(steps.length ? steps : [el("li", {}, "Just started")])));
  }

  notes(disposition) {
    const lines = ["SOP: " + this.data.title + " (version " + this.data.version + ")", "Steps taken:"];
    this.path.forEach((p, i) => {
      lines.push((i + 1) + ". " + (p.sop !== this.data.title ? "[" + p.sop + "] " : "") + "Step " + p.number +
        ": " + p.title + (p.answer ? " — " + p.question + " " + p.answer : ""));
    });
    lines.push("Disposition: " + (disposition || "(choose one)"));
    if (this.data.record.length) {
      lines.push("Record:");
      this.data.record.forEach((r) => lines.push("- " + r + " "));
    }
    return lines.join("\n");
  }

  end() {
    this.current = null;
    const select = el("select", { id: "guided-disposition" }, el("option", { value: "" }, "(choose one)"),
      ...this.data.dispositions.map((d) => {
        const text = d.label + (d.code ? " (" + d.code + ")" : "");
        return el("option", { value: text }, text);
      }));
    const area = el("textarea", { class: "sopkb-guided__notes", id: "guided-notes", rows: "10" });
    area.value = this.notes("");
    let edited = false;
    area.addEventListener("input", () => { edited = true; });
    select.addEventListener("change", () => { if (!edited) { area.value = this.notes(select.value); } });
    const copy = button("Copy call notes", { "data-guided-copy-notes": "" }, true);
    copy.addEventListener("click", () => {
      copyAndAnnounce(area.value, "Call notes copied to the clipboard", "Could not copy; select the notes instead")
        .then((copied) => { if (copied) { copy.textContent = "Copied"; } });
    });
    const heading = stepHeading("Call notes");
    const card = el("div", { class: "sopkb-guided__step sopkb-guided__end" }, heading,
      el("p", {}, el("label", { for: select.id }, "Disposition "), select),
      el("label", { class: "sopkb-label", for: area.id }, "Notes for the case (edit before copying)"),
      area, copy, procedureMessages());
    this.render(card, heading, "Call ended. Call notes are ready to copy.");
  }

  close() {
    this.section.hidden = true;
    const start = document.querySelector("[data-guided-start]");
    if (start) { start.focus(); }
  }
}

let guide = null;

document.addEventListener("keydown", (event) => {
  if (!guide || guide.section.hidden || event.altKey || event.ctrlKey || event.metaKey) { return; }
  const target = event.target;
  if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
  if (/^[1-9]$/.test(event.key)) {
    const answer = guide.view.querySelector('[data-answer="' + (Number(event.key) - 1) + '"]');
    if (answer) { event.preventDefault(); answer.click(); }
  }
});

/* The path taken in the SOP that handed over. Storage is read as untrusted data: only the
   fields the guide shows, as text, and no more entries than a call could take. */
function carriedPath() {
  const carried = session.read(CARRY);
  session.remove(CARRY);
  if (!Array.isArray(carried)) { return []; }
  const text = (value) => typeof value === "string" ? value.slice(0, 500) : null;
  return carried.slice(-MAX_CARRIED).filter((p) => p && typeof p === "object").map((p) => ({
    sop: text(p.sop) || "", step: text(p.step) || "", number: text(p.number) || "", title: text(p.title) || "",
    question: text(p.question), answer: text(p.answer),
  }));
}

export function init() {
  const section = document.getElementById("guided");
  const start = document.querySelector("[data-guided-start]");
  guide = section ? new Guide(section) : null;
  if (!guide || !start) { return; }
  start.hidden = false;
  start.onclick = () => guide.start(null, []);
  const match = /^#guided(?:=([a-z0-9-]+))?$/.exec(window.location.hash);
  if (match) {
    guide.start(match[1] || null, carriedPath());
  }
}

onPage(init);
