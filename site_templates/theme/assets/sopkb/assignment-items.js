/* What an assignment asks for, read from the learning data files the build wrote (their
   addresses are the page's data attributes), and how far the learner is with each item.
   Shared by the assignment and certificate pages. */

import { fetchJson, fillAddress } from "./core.js";
import { itemState } from "./progress-state.js";

/* no-cache: revalidate, so after a rebuild a quiz's fingerprint is never a stale copy's */
function fetchData(url) { return fetchJson(url, { cache: "no-cache" }); }

/** Everything the assignment asks for, in order: the path's items, then the other quizzes.
    `page` carries the data files' address patterns (data-path-data, data-quiz-data). */
export function itemsOf(page, spec) {
  const path = spec.path ? fetchData(fillAddress(page.getAttribute("data-path-data"), spec.path)) : Promise.resolve(null);
  return path.then((p) => {
    const items = [];
    const seen = new Set();
    for (const module of p ? p.modules : []) {
      for (const item of module.items) { seen.add(item.kind + ":" + item.id); items.push(item); }
    }
    const extra = spec.quizzes.filter((id) => !seen.has("quiz:" + id));
    return Promise.all(extra.map((id) => fetchData(fillAddress(page.getAttribute("data-quiz-data"), id))
      .catch(() => ({ kind: "quiz", id, missing: true, title: id }))))
      .then((quizzes) => ({ path: p, items: items.concat(quizzes) }));
  });
}

/** Each item's progress state, how many are done, and whether all are. */
export function status(items) {
  const states = items.map((item) => item.missing
    ? { state: "missing", text: "No longer on this site: ask your trainer" }
    : itemState(item));
  const done = states.filter((s) => s.state === "done").length;
  return { states, done, complete: done === items.length && items.length > 0 };
}
