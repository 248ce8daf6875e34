/* sopkb's one entry script (<script type="module"> in theme/main.html). A page loads the module of
   each component whose root element it holds, and no other. A loaded module runs its component
   on the current page and on every later one itself (core.js's onPage).

   A module is loaded by a <script type="module"> element rather than import(): the browser holds
   the page's load event for a script element (not for an import()), so a learner who acts as
   soon as the page has loaded never meets a quiz or a sign-off button that is not working yet.

   Material's instant navigation (the `navigation.instant` feature) swaps pages in with no load
   event to hold: a module fetched only once its page is shown would leave that page inert for a
   moment (a quiz submitted then would even reload the page). So with it, the first page loads
   every component's module, and the pages swapped in later find theirs ready. */

import { onPage } from "./core.js";

/* module -> the root element(s) of its component */
const COMPONENTS = {
  "search.js": "[data-sopkb-search]",
  "page-tools.js": ".sopkb-copy, [data-print-card]",
  "learner.js": "[data-learner-box]",
  "quiz.js": "[data-quiz-form]",
  "quiz-list.js": "[data-quiz-id]",
  "progress.js": "[data-path], [data-path-card]",
  "signoff.js": "[data-signoff]",
  "earlier-versions.js": "[data-earlier-versions]",
  "guided.js": "#guided",
  "assign.js": "[data-assign-builder]",
  "assignment.js": "[data-assignment]",
  "certificate.js": "[data-certificate]",
  "my-learning.js": "[data-my-learning]",
};

const loaded = new Set();

function instantNavigation() {
  try {
    return JSON.parse(document.getElementById("__config").textContent).features.includes("navigation.instant");
  } catch {
    return false;
  }
}
const everything = instantNavigation();

function load(module) {
  loaded.add(module);
  const script = document.createElement("script");
  script.type = "module";
  script.src = new URL("./" + module, import.meta.url).href;
  document.head.appendChild(script);
}

/** Loads the modules this page needs (all of them with instant navigation) not loaded yet. */
export function loadComponents() {
  for (const [module, root] of Object.entries(COMPONENTS)) {
    if (!loaded.has(module) && (everything || document.querySelector(root))) { load(module); }
  }
}

loadComponents();  /* now, not at DOMContentLoaded: a module script runs once the page is parsed */
onPage(loadComponents);  /* a page swapped in: anything it needs that is not loaded yet */
