/* Guided call mode: walks an SOP's steps and branches from the page's flow data, one step at a
   time, so an agent with a customer on the line sees only what to say and do now. Keyboard:
   number keys pick an answer. Focus moves to each new step and it is announced. */

import { announce, el, onPage, own, session } from "./core.js";
import * as flow from "./guided-flow.js";
import { notesCard, pathList } from "./guided-notes.js";
import { flowDataParts, htmlList, procedureCallouts, sayBlock, stepParts } from "./guided-parts.js";
import "./page-tools.js";  /* the copy buttons of what to say */
import { callsAfterHandOff } from "./pure/call-stack.js";
import { backTarget, checkedPath } from "./pure/guided-path.js";

const CARRY = "sopkb.guided.carry";  /* the path so far, when the walk goes on in another SOP */

/* A step's title: focused and announced when it is shown. */
function stepHeading(text) {
  return el("h3", { class: "sopkb-guided__title", tabindex: "-1", id: "guided-current" }, text);
}

class Guide {
  constructor(section) {
    this.section = section;
    this.view = section.querySelector("[data-guided-view]");
    this.data = JSON.parse(section.querySelector(".sopkb-guided-data").textContent);
    this.path = [];
    this.current = null;
    this.calls = [];  /* the open calls to come back from, caller first (guided-flow.js) */
    this.returned = null;  /* the calling step just come back to: it goes on, not into its call again */
    this.notice = null;  /* said once, above the next card: why guided mode is not where it was sent */
    this.leaving = () => {};  /* stops what the shown step runs (a countdown) */
  }

  /** The call to return to when this SOP ends; undefined when it was not called. */
  caller() { return this.calls[this.calls.length - 1]; }

  /** A step of this SOP by id; the id may come from the address (#guided=<step>). */
  step(stepId) { return own(this.data.steps, stepId); }

  /* `calls`: the open calls, when this SOP was reached from a call (or a hand-off inside one). */
  start(stepId, carried, calls) {
    this.path = carried || [];
    this.calls = calls || [];
    this.section.hidden = false;
    if (stepId && !this.step(stepId)) { this.notice = "This procedure has no step “" + stepId + "”, so guided mode starts it from the beginning."; }
    if (stepId && this.step(stepId)) { this.show(stepId); }
    else if (this.data.starts.length) { this.chooseStart(); }
    else { this.show(this.data.start); }
  }

  /* The toolbar, `card`, and the path so far; then the focus goes to `heading`. */
  render(card, heading, message) {
    this.stopStep();
    const caller = this.caller();
    const banner = caller ? flow.calledBanner(this.data.title, caller, () => this.returnToCaller()) : null;
    const notice = this.notice ? el("p", { class: "sopkb-guided__notice", role: "note" }, this.notice) : null;
    this.view.replaceChildren(...[this.toolbar(), banner, notice, card, pathList(this.path, this.data.sop)].filter(Boolean));
    heading.focus();
    announce(this.notice ? this.notice + " " + message : message);
    this.notice = null;
  }

  /* Several starts: which situation applies? (number keys pick one, as they pick answers) */
  chooseStart() {
    this.current = null;
    const heading = stepHeading("Which situation applies?");
    const card = el("div", { class: "sopkb-guided__step" }, heading, flow.situations(this.data.starts, (start) => {
      this.record("start", start.step, { title: start.when });
      this.show(start.step);
    }));
    this.render(card, heading, "Which situation applies?");
  }

  show(stepId) {
    if (stepId !== this.current) { this.returned = null; }
    this.current = stepId;
    const step = this.step(stepId);
    const heading = stepHeading("Step " + step.number + ": " + step.title);
    const parts = flow.stepParts(step, (target) => this.follow(target, "No answer after " + step.wait.duration, null),
      this.caller());
    const card = el("div", { class: "sopkb-guided__step" }, heading, procedureCallouts(!this.path.length), ...parts.first);
    /* the step's parts as the page shows them, in their order; else from the flow data */
    const written = stepParts(stepId);
    card.append(...(written ? [written] : flowDataParts(step)));
    card.append(...parts.then);
    if (step.call && step.call.kind === "sop" && this.returned !== stepId) {  /* once back, the way on */
      card.appendChild(flow.callButton(step.call, () => this.callInto(step)));
    } else if (step.branches) {
      card.append(el("p", { class: "sopkb-guided__question" }, step.question), el("div",
        { class: "sopkb-guided__answers", role: "group", "aria-label": step.question + " (press the answer's number)" },
        ...step.branches.map((branch, i) => {
          const b = flow.button((i + 1) + ". " + branch.answer, { "data-answer": String(i) }, false);
          b.addEventListener("click", () => this.answer(i));
          return b;
        })));
    } else {
      card.appendChild(this.goButton(step.next, () => this.follow(step.next, null, null)));
    }
    this.render(card, heading, "Step " + step.number + ": " + step.title + (step.actor ? ", done by " + step.actor : ""));
    this.leaving = parts.stop;
  }

  toolbar() {
    const back = flow.button("Back", { "data-guided-back": "" });
    back.disabled = !this.backTo();
    back.addEventListener("click", () => this.back());
    const restart = flow.button("Restart", { "data-guided-restart": "" });
    restart.addEventListener("click", () => this.start(null, [], this.calls));
    const close = flow.button("Close", { "data-guided-close": "" });
    close.addEventListener("click", () => this.close());
    return el("div", { class: "sopkb-guided__bar" },
      el("h2", { class: "sopkb-guided__heading", id: "guided-title" }, "Guided call: " + this.data.title),
      back, restart, close);
  }

  goButton(target, onClick) {
    const b = flow.button(flow.targetLabel(target, this.caller()), { "data-guided-next": "" }, true);
    b.addEventListener("click", onClick);
    return b;
  }

  answer(index) {
    const branch = this.step(this.current).branches[index];
    if (!branch) { return; }
    const question = this.step(this.current).question || null;
    if (!branch.do.length && !branch.say.html.length) { this.follow(branch.goto, branch.answer, question); return; }
    /* the branch has its own words or actions: show them before moving on */
    const heading = el("p", { class: "sopkb-guided__chosen", tabindex: "-1" }, "Answer: " + branch.answer);
    const box = el("div", { class: "sopkb-guided__branch" }, heading);
    box.append(...[sayBlock(branch.say), branch.do.length ? htmlList(branch.do) : null].filter(Boolean));
    box.appendChild(this.goButton(branch.goto, () => this.follow(branch.goto, branch.answer, question)));
    this.view.querySelector(".sopkb-guided__step .sopkb-guided__answers").replaceWith(box);
    heading.focus();
    announce("Answer: " + branch.answer);
  }

  /* The path so far gets an entry: a step done ("step"), a call made ("call"), a situation
     chosen ("start"); see pure/guided-path.js. */
  record(kind, stepId, fields) {
    this.path.push({ id: this.data.sop, sop: this.data.title, kind, step: stepId, number: "", title: "",
                     question: null, answer: null, depth: this.calls.length, ...fields });
  }

  /* `answer`: the answer given or what happened ("No answer after 30 seconds"); `question`: the
     question it answers, if any (the call notes say both). */
  follow(target, answer, question) {
    const step = this.step(this.current);
    this.record("step", this.current, { number: step.number, title: step.title, question, answer });
    this.go(target);
  }

  go(target) {
    if (target.kind === "step") { this.show(target.step); return; }
    if (target.kind === "sop") {
      session.write(CARRY, this.path);  /* if storage refuses, the next SOP starts a fresh path */
      /* a hand-off inside a called procedure still comes back; one into a caller ends its call */
      flow.writeCalls(callsAfterHandOff(this.calls, target.sop));
      window.location.href = target.href + "#guided" + (target.step ? "=" + target.step : "");
      return;
    }
    if (target.kind === "external") { this.external(target); return; }
    this.finish();
  }

  /* The procedure ends: back to the step after the call, or the call notes. */
  finish() { if (this.calls.length) { this.returnToCaller(); } else { this.end(); } }

  /* The agent leaves the knowledge base for a procedure outside it, then ends (or returns). */
  external(target) {
    this.current = null;
    const heading = stepHeading("Follow the external procedure: " + target.title);
    this.render(flow.externalCard(heading, target, this.goButton({ kind: "end" }, () => this.finish())), heading, heading.textContent);
  }

  /* Into the called SOP, remembering where to come back to. */
  callInto(step) {
    this.record("call", this.current, { number: step.number, title: step.title, answer: "Called " + step.call.title });
    session.write(CARRY, this.path);
    if (!flow.enterCall(this.data, step, this.calls)) { this.path.pop(); session.remove(CARRY); }
  }

  /* Back to the SOP that called this one (`#guided-return=<calling step>`), at the step's way on. */
  returnToCaller() {
    const caller = this.caller();
    const open = this.calls.slice(0, -1);
    if (caller.sop === this.data.sop) { flow.writeCalls(open); this.resume(caller.step, this.path, open); return; }
    this.leave(caller.sop, "#guided-return=" + caller.step, open, this.path, caller.title);
  }

  /* Opens SOP `sop`'s guided mode at `hash`, with `calls` open and `path` carried there: an SOP
     named by the tab's storage, so if the site has no such page, guided mode says so here. */
  leave(sop, hash, calls, path, title) {
    session.write(CARRY, path);
    flow.writeCalls(calls);
    flow.openSop(this.data, sop, hash, () => this.lost(sop, title));
  }

  /* The SOP to go to is not on this site: the tab's stored calls or path were changed, or the
     site was rebuilt without it. Every call is closed; the agent ends the call from here. */
  lost(sop, title) {
    session.remove(CARRY);
    flow.writeCalls([]);
    this.calls = [];
    this.current = null;
    const heading = stepHeading("Guided mode cannot go to " + title);
    this.render(flow.lostCard(heading, sop, this.goButton({ kind: "end" }, () => this.end())), heading, heading.textContent);
  }

  /* Back from a call: the calling step's decision, or straight on where it leads. */
  resume(stepId, carried, calls) {
    const step = this.step(stepId);
    if (!step) {
      this.notice = "This procedure has no step “" + stepId + "” to come back to, so guided mode starts it from the beginning.";
      this.start(null, carried, calls);
      return;
    }
    [this.path, this.calls, this.current, this.returned] = [carried, calls, stepId, stepId];
    this.section.hidden = false;
    if (step.branches) { this.show(stepId); } else { this.go(step.next); }
  }

  /* Where Back goes (pure/guided-path.js); null: nowhere, and Back is disabled. */
  backTo() {
    const to = backTarget(this.path, this.calls, this.data.sop);
    return to && to.kind === "step" && !this.step(to.step) ? null : to;
  }

  /* To the step before: on this page, or in the SOP it was in (the calling step, the SOP that
     handed over, the called SOP just come back from), with the calls open there. */
  back() {
    const to = this.backTo();
    if (!to) { return; }
    if (to.kind === "page") {
      const last = this.path[this.path.length - 1];
      this.leave(to.sop, "#guided" + (to.step ? "=" + to.step : ""), to.calls, this.path.slice(0, -1), last.sop || to.sop);
      return;
    }
    this.path.pop();
    if (to.kind === "situations") { this.chooseStart(); } else { this.show(to.step); }
  }

  /* The call is over: the notes to copy into the case (guided-notes.js). */
  end() {
    this.current = null;
    const heading = stepHeading("Call notes");
    this.render(notesCard(heading, this.data, this.path), heading, "Call ended. Call notes are ready to copy.");
  }

  stopStep() { this.leaving(); this.leaving = () => {}; }

  close() {
    this.stopStep();
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

/* The path taken before this page (in the SOP that handed over, called or was called). Storage
   is read as untrusted data (pure/guided-path.js checks it). */
function carriedPath() {
  const carried = session.read(CARRY);
  session.remove(CARRY);
  return checkedPath(carried);
}

export function init() {
  const section = document.getElementById("guided");
  const start = document.querySelector("[data-guided-start]");
  guide = section ? new Guide(section) : null;
  if (!guide || !start) { return; }
  start.hidden = false;
  start.onclick = () => { flow.writeCalls([]); guide.start(null, [], []); };
  const back = /^#guided-return=([a-z0-9-]+)$/.exec(window.location.hash);
  const match = /^#guided(?:=([a-z0-9-]+))?$/.exec(window.location.hash);
  if (back) { guide.resume(back[1], carriedPath(), flow.readCalls()); }
  else if (match) { guide.start(match[1] || null, carriedPath(), flow.readCalls()); }
}

onPage(init);
