/* Guided mode's parts for how a step ties into other procedures and time: who does the step, a
   wait (with a countdown when it is short), a time limit, a procedure to call, procedures outside
   the knowledge base, and the stack of calls to come back from. Everything here is text the
   build wrote into the page's flow data, put in as text. */

import { announce, el, fillAddress, session } from "./core.js";
import { checkedCalls, MAX_CALLS } from "./pure/call-stack.js";
import { clock, Countdown } from "./pure/countdown.js";

const CALLS = "sopkb.guided.calls";
const TICK_MS = 250;

/** A guided-mode button; `primary` for the way on. */
export function button(label, attributes, primary) {
  return el("button", { type: "button", class: "md-button" + (primary ? " md-button--primary" : ""), ...attributes }, label);
}

/** "Done by: Team lead": the agent knows the step is someone else's. */
export function actorLine(step) {
  if (!step.actor) { return null; }
  return el("p", { class: "sopkb-guided__actor" },
    el("span", { class: "sopkb-badge sopkb-badge--actor" }, "Done by: " + step.actor),
    " Someone else does this step: hand it over, or wait until it is done.");
}

/** Only http(s) addresses become links (the build checked them; this checks again). */
function webLink(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url)
    ? el("a", { href: url, rel: "external noopener noreferrer", target: "_blank" }, url) : null;
}

/** "Follow the external procedure: Billing SOP — https://…": opening it is the agent's choice. */
export function externalLine(target, lead) {
  const where = webLink(target.url) || (target.identifier ? target.identifier : null);
  return el("p", { class: "sopkb-guided__external" },
    (lead || "Follow the external procedure") + ": ", el("strong", {}, target.title), where ? " — " : null, where);
}

/** What a target is called on a button: "Next: Step 4: …", "Continue with SOP: …", … Inside a
    called SOP (`caller`: the innermost open call), the end is the way back: "Return to …". */
export function targetLabel(target, caller) {
  if (target.kind === "end") { return caller ? "Return to " + caller.title : "End call and write notes"; }
  if (target.kind === "sop") { return "Continue with SOP: " + target.title; }
  if (target.kind === "external") { return "Follow the external procedure: " + target.title; }
  return "Next: " + target.label;
}

/** A step's parts from this module: `first` (who does it) before its words and actions, `then`
    (a call, a wait, a limit) after them, and `stop()` for its countdown when the step is left.
    `caller`: the call to return to when this SOP ends, if it was called. */
export function stepParts(step, onTimeout, caller) {
  const wait = waitPart(step, onTimeout, caller);
  return {
    first: [actorLine(step)].filter(Boolean),
    then: [callLine(step, caller), wait.element, limitLine(step)].filter(Boolean),
    stop: wait.stop,
  };
}

/** "Do Verify identity now": into the called SOP (guided mode comes back when it ends). */
export function callButton(call, onClick) {
  const b = button("Do " + call.title + " now", { "data-guided-call": "" }, true);
  b.addEventListener("click", onClick);
  return b;
}

/** The situations an SOP starts from, as numbered buttons (number keys pick one, as answers). */
export function situations(starts, onChoose) {
  return el("div", { class: "sopkb-guided__answers", role: "group", "aria-label": "Which situation applies? (press its number)" },
    ...starts.map((start, i) => {
      const b = button((i + 1) + ". " + start.when, { "data-answer": String(i), "data-guided-situation": "", title: "Starts at " + start.label });
      b.addEventListener("click", () => onChoose(start));
      return b;
    }));
}

/** The card for a procedure outside the knowledge base: where it is, then `done` (end or return). */
export function externalCard(heading, target, done) {
  return el("div", { class: "sopkb-guided__step" }, heading, externalLine(target),
    el("p", {}, "It is not in this knowledge base: follow it where it is kept."), done);
}

/** "Limit: within 14 days — the customer replies". */
export function limitLine(step) {
  return step.limit ? el("p", { class: "sopkb-guided__limit" },
    el("strong", {}, "Limit:"), " within " + step.limit.duration + " — " + step.limit.what) : null;
}

/** Where a step goes once what it calls is done. */
function afterCall(step, caller) {
  if (step.branches) { return "then come back here to decide."; }
  const next = step.next;
  if (next.kind === "step") { return "then continue with " + next.label + "."; }
  if (next.kind === "end") { return caller ? "then return to " + caller.title + "." : "then end the call."; }
  if (next.kind === "sop") { return "then continue with SOP: " + next.title + "."; }
  return "then follow the external procedure: " + next.title + ".";
}

/** "Call: do Verify identity, then continue with Step 4: …" for a step that calls another procedure. */
export function callLine(step, caller) {
  const call = step.call;
  if (!call) { return null; }
  if (call.kind === "external") {
    const line = externalLine(call, "Call: follow the external procedure");
    line.append(", " + afterCall(step, caller));
    return line;
  }
  return el("p", { class: "sopkb-guided__call" }, el("strong", {}, "Call:"),
    " do " + call.title + (call.stepLabel ? " (from its " + call.stepLabel + ")" : "") + ", " + afterCall(step, caller));
}

/** A wait: its text, a countdown for a short one, and its timeout branch (offered when the time
    is up, or from the start when the wait is too long to count down on screen). Returns the
    element and `stop()`, which the guide calls when it leaves the step. */
export function waitPart(step, onTimeout, caller) {
  const wait = step.wait;
  if (!wait) { return { element: null, stop() {} }; }
  const box = el("div", { class: "sopkb-guided__wait" },
    el("p", {}, el("strong", {}, "Wait:"), " up to " + wait.duration + " until " + wait.until + "."));
  const offer = wait.timeout ? button("If not by then: " + targetLabel(wait.timeout, caller), { "data-guided-timeout": "" }) : null;
  if (offer) { offer.addEventListener("click", () => onTimeout(wait.timeout)); }
  if (!wait.countdown) {
    if (offer) { box.append(offer); }
    return { element: box, stop() {} };
  }
  const timer = countdownTimer(wait, offer);
  box.append(timer.element);
  if (offer) { offer.hidden = true; box.append(offer); }
  return { element: box, stop: timer.stop };
}

/* When the time is up, the Start/Pause button is of no more use: it says so and is disabled,
   and the focus it had moves on to the way on (the timeout's button), else to "Time is up.". */
function countdownTimer(wait, offer) {
  const countdown = new Countdown(wait.seconds * 1000);
  const face = el("span", { class: "sopkb-guided__clock", role: "timer", "aria-live": "off", "data-guided-clock": "" },
    clock(wait.seconds));
  const toggle = button("Start countdown", { "data-timer-toggle": "" }, true);
  const reset = button("Reset", { "data-timer-reset": "" });
  const status = el("span", { class: "sopkb-guided__timer-status", "data-timer-status": "", tabindex: "-1" });
  let ticking = null;
  const stopTicking = () => { if (ticking !== null) { window.clearInterval(ticking); ticking = null; } };
  const draw = () => {
    const now = Date.now();
    face.textContent = clock(countdown.leftMs(now) / 1000);
    if (countdown.over(now) && ticking !== null) {
      const focused = document.activeElement === toggle;
      stopTicking();
      countdown.pause(now);
      toggle.disabled = true;
      toggle.textContent = "Countdown over";
      status.textContent = "Time is up.";
      if (offer) { offer.hidden = false; }
      if (focused) { (offer || status).focus(); }
      announce("Time is up: " + wait.duration + " have passed." + (offer ? " " + offer.textContent : ""));
    }
  };
  toggle.addEventListener("click", () => {
    const now = Date.now();
    if (countdown.running) {
      countdown.pause(now);
      stopTicking();
      toggle.textContent = "Resume countdown";
      status.textContent = "Paused.";
      announce("Countdown paused at " + clock(countdown.leftMs(now) / 1000) + ".");
      return;
    }
    const fresh = countdown.leftMs(now) === wait.seconds * 1000;
    countdown.start(now);
    ticking = window.setInterval(draw, TICK_MS);
    toggle.textContent = "Pause countdown";
    status.textContent = "";
    announce((fresh ? "Countdown started: " : "Countdown resumed: ") + clock(countdown.leftMs(now) / 1000) + " left.");
  });
  reset.addEventListener("click", () => {
    stopTicking();
    countdown.reset();
    face.textContent = clock(wait.seconds);
    toggle.disabled = false;
    toggle.textContent = "Start countdown";
    status.textContent = "";
    if (offer) { offer.hidden = true; }
    announce("Countdown reset to " + clock(wait.seconds) + ".");
  });
  const element = el("div", { class: "sopkb-guided__timer", role: "group", "aria-label": "Countdown of " + wait.duration },
    face, toggle, reset, status);
  return { element, stop: stopTicking };
}

/* ---- The calls to come back from, kept in the tab's session storage ---- */

/** The open calls, caller first (checked: storage is untrusted). */
export function readCalls() { return checkedCalls(session.read(CALLS)); }

/** Keeps the open calls; false when storage refused (the guide then cannot come back). */
export function writeCalls(calls) {
  if (!calls.length) { session.remove(CALLS); return true; }
  return calls.length <= MAX_CALLS && session.write(CALLS, calls);
}

/** Opens the called SOP (`#guided[=<anchor step>]`) with a frame to come back to this step;
    false (and said) when the browser keeps no session storage, without which there is no way back. */
export function enterCall(data, step, calls) {
  const frame = { sop: data.sop, step: step.id, title: data.title, number: step.number };
  if (!writeCalls([...calls, frame])) {
    announce("This browser keeps no session storage, so guided mode could not come back here: open " +
      step.call.title + " yourself, then come back.");
    return false;
  }
  window.location.href = step.call.href + "#guided" + (step.call.step ? "=" + step.call.step : "");
  return true;
}

/** Opens SOP `sop`'s guided mode at `hash` ("#guided=<step>", "#guided-return=<step>"), an SOP
    named by the tab's storage (a call to return to, a step to go back to): storage may have been
    changed, or the site rebuilt without that SOP. The page is asked for first (on this site: no
    request leaves it) and, if the site has no such page, `missing()` says so instead of opening
    a "page not found". When the check itself fails (no answer), the browser tries the page. */
export function openSop(data, sop, hash, missing) {
  const href = fillAddress(data.sopHref, sop);
  return window.fetch(href, { method: "HEAD", cache: "no-cache" }).then(
    (response) => { if (response.status === 404 || response.status === 410) { missing(); } else { window.location.href = href + hash; } },
    () => { window.location.href = href + hash; });
}

/** The card for an SOP `sop` this site does not have (`openSop`'s `missing`): every call is closed,
    and `done` (the call notes) is the way on. */
export function lostCard(heading, sop, done) {
  return el("div", { class: "sopkb-guided__step" }, heading,
    el("p", {}, "This site has no procedure “" + sop + "”: what this browser tab remembered of the call " +
      "has been changed, or the site was rebuilt without that procedure. Guided mode stops following " +
      "calls; finish with the customer from here, then write the call notes."),
    done);
}

/** "You are in B, called from A step 3 — Return to A": shown on every step of a called procedure. */
export function calledBanner(title, caller, onReturn) {
  const back = button("Return to " + caller.title, { "data-guided-return": "" });
  back.addEventListener("click", onReturn);
  return el("div", { class: "sopkb-guided__called", role: "note", "data-guided-called": "" },
    el("span", {}, "You are in " + title + ", called from " + caller.title + " step " + caller.number + "."), back);
}
