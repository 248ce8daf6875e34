/* The SOP page's list of earlier versions (the "What changed" section): opened, each version the
   site has a comparison from gets a button showing what changed from it to the current version,
   fetched then (changes-since.js): for a trainer briefing a team that last read version 1.9, or an
   agent back from leave. The page itself carries only its latest diff, so it stays the same size
   however long the history grows. */

import { el, onPage, setBuiltHtml } from "./core.js";
import { changesSince, earlierVersions } from "./changes-since.js";

function region(item, index) {
  return el("div", { id: "sopkb-earlier-" + index, class: "sopkb-changes__since", role: "region",
    "aria-label": "What changed since version " + item.getAttribute("data-earlier-version"), hidden: "" });
}

async function show(list, item, button, area) {
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  area.hidden = !open;
  if (!open || area.getAttribute("data-loaded")) { return; }
  area.setAttribute("aria-busy", "true");
  area.replaceChildren(el("p", {}, "Loading…"));
  try {
    const html = await changesSince(list.getAttribute("data-sop-data"), list.getAttribute("data-root"),
      item.getAttribute("data-earlier-version"), list.getAttribute("data-version"));
    if (html === null) { throw new Error("no comparison"); }
    setBuiltHtml(area, html);
    area.setAttribute("data-loaded", "1");
  } catch {
    area.replaceChildren(el("p", {}, "What changed since this version could not be loaded."));
  } finally {
    area.removeAttribute("aria-busy");
  }
}

/* The buttons, added once, for the versions the SOP's data file has a comparison from. */
async function offer(list) {
  if (list.getAttribute("data-offered")) { return; }
  list.setAttribute("data-offered", "1");
  let compared;
  try {
    compared = new Set((await earlierVersions(list.getAttribute("data-sop-data")))
      .filter((e) => typeof e.diff === "string").map((e) => e.version));
  } catch {
    list.removeAttribute("data-offered");  /* offline for now: asked again when reopened */
    return;
  }
  list.querySelectorAll("li[data-earlier-version]").forEach((item, index) => {
    const version = item.getAttribute("data-earlier-version");
    if (!compared.has(version) || item.querySelector("button")) { return; }
    const area = region(item, index);
    const button = el("button", { type: "button", class: "md-button sopkb-changes__show", "aria-expanded": "false",
      "aria-controls": area.id }, "What changed since " + version);
    button.addEventListener("click", () => show(list, item, button, area));
    item.append(" ", button, area);
  });
}

export function init() {
  const list = document.querySelector("[data-earlier-versions]");
  if (!list) { return; }
  if (list.open) { offer(list); }
  if (!list.getAttribute("data-ready")) {
    list.setAttribute("data-ready", "1");
    list.addEventListener("toggle", () => { if (list.open) { offer(list); } });
  }
}

onPage(init);
