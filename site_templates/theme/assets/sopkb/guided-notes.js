/* What guided mode keeps of a call: the path so far, under every card, and at the end the call
   notes the agent copies into the case. Kept apart from the walk (guided.js), which only hands
   over its path: this is the part whose text leaves the page, written for a case system from the
   path and the SOP's dispositions and record list. Everything goes in as text. */

import { copyAndAnnounce, el } from "./core.js";
import { button } from "./guided-flow.js";
import { procedureMessages } from "./guided-parts.js";
import { entryText } from "./pure/guided-path.js";

/** The path so far, each entry as the notes will say it (pure/guided-path.js). */
export function pathList(path, sop) {
  const steps = path.map((p) => el("li", {}, entryText(p, sop, false)));
  return el("div", { class: "sopkb-guided__path" },
    el("p", { class: "sopkb-label" }, "Path so far"),
    el("ol", {}, ...(steps.length ? steps : [el("li", {}, "Just started")])));
}

/** The notes as plain text: the SOP and its version, every entry of the path, the disposition
    chosen and what to record, so the case says what was done without the agent retyping it. */
function callNotes(data, path, disposition) {
  const lines = ["SOP: " + data.title + " (version " + data.version + ")", "Steps taken:"];
  path.forEach((p, i) => { lines.push((i + 1) + ". " + entryText(p, data.sop, true)); });
  lines.push("Disposition: " + (disposition || "(choose one)"));
  if (data.record.length) {
    lines.push("Record:");
    data.record.forEach((r) => lines.push("- " + r + " "));
  }
  return lines.join("\n");
}

/** The card under `heading`: the notes follow the disposition chosen until the agent edits them,
    and are never overwritten after that. */
export function notesCard(heading, data, path) {
  const select = el("select", { id: "guided-disposition" }, el("option", { value: "" }, "(choose one)"),
    ...data.dispositions.map((d) => {
      const text = d.label + (d.code ? " (" + d.code + ")" : "");
      return el("option", { value: text }, text);
    }));
  const area = el("textarea", { class: "sopkb-guided__notes", id: "guided-notes", rows: "10" });
  area.value = callNotes(data, path, "");
  let edited = false;
  area.addEventListener("input", () => { edited = true; });
  select.addEventListener("change", () => { if (!edited) { area.value = callNotes(data, path, select.value); } });
  const copy = button("Copy call notes", { "data-guided-copy-notes": "" }, true);
  copy.addEventListener("click", () => {
    copyAndAnnounce(area.value, "Call notes copied to the clipboard", "Could not copy; select the notes instead")
      .then((copied) => { if (copied) { copy.textContent = "Copied"; } });
  });
  return el("div", { class: "sopkb-guided__step sopkb-guided__end" }, heading,
    el("p", {}, el("label", { for: select.id }, "Disposition "), select),
    el("label", { class: "sopkb-label", for: area.id }, "Notes for the case (edit before copying)"),
    area, copy, procedureMessages());
}
