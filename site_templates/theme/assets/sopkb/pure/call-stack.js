/* Where guided mode comes back to after a called procedure ends: one frame per call still open
   (A calls B, B calls C: two frames), kept in the tab's session storage across page loads.
   Storage is untrusted: a stack is used only if every frame has exactly the shape the guide
   writes (ids that are ids, short texts), and no deeper than a call could nest. */

export const MAX_CALLS = 20;
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const TEXT_MAX = 500;

/** Whether `value` is an SOP or step id as the build writes them (never a path or a scheme). */
export function isId(value) { return typeof value === "string" && ID.test(value); }

function isText(value) { return typeof value === "string" && value.length > 0 && value.length <= TEXT_MAX; }

function frameOf(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) { return null; }
  const { sop, step, title, number } = value;
  if (!isId(sop) || !isId(step)) { return null; }
  if (!isText(title) || !isText(number)) { return null; }
  return { sop, step, title, number };
}

/** The frames of a stored stack, caller first; [] for anything that is not a whole, valid stack. */
export function checkedCalls(value) {
  if (!Array.isArray(value) || value.length > MAX_CALLS) { return []; }
  const frames = value.map(frameOf);
  return frames.every((frame) => frame !== null) ? frames : [];
}

/** The calls still open once a called procedure hands over to SOP `sop`: the same, unless `sop`
    is one of the callers; then the hand-off goes back into that caller, and its call (with every
    call made after it) is over, as if the called procedure had ended there. */
export function callsAfterHandOff(calls, sop) {
  for (let i = calls.length - 1; i >= 0; i -= 1) {
    if (calls[i].sop === sop) { return calls.slice(0, i); }
  }
  return calls;
}
