/* What changed in an SOP from one of its earlier versions to the current one, as the build
   rendered it (render/history.py sop_data): the SOP's data file lists its earlier versions and
   names its one file of changes, which holds the HTML of the changes from each. Read-and-sign
   (signoff.js) shows it to a learner who signed that version; the page's list of earlier versions
   (earlier-versions.js) to anyone who asks. */

import { fetchJson } from "./core.js";

/** The SOP's data file at `dataUrl`: its entries for earlier versions (an empty list when it has
    none, or is not what the build writes). */
export async function earlierVersions(dataUrl) {
  const data = await fetchJson(dataUrl);
  return Array.isArray(data.earlier) ? data.earlier.filter((e) => e && typeof e.version === "string") : [];
}

/** The HTML of what changed from `version` to `current`: null when the site has no comparison
    from that version; throws when the file cannot be fetched or is not the one asked for (one
    cached from another version of the site). `root` is the site root, as the page gives it. */
export async function changesSince(dataUrl, root, version, current) {
  const entry = (await earlierVersions(dataUrl)).find((e) => e.version === version);
  if (!entry || typeof entry.diff !== "string") { return null; }
  const file = await fetchJson(root + entry.diff);
  const since = file.to === current && Array.isArray(file.since)
    ? file.since.find((e) => e && e.from === version) : null;
  if (!since || typeof since.html !== "string") { throw new Error("not the changes asked for"); }
  return since.html;
}
