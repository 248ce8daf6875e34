/* sopkb's one entry script (<script type="module"> in theme/main.html). A page loads the module of
   each component whose root element it holds, and no other; with Material's instant navigation
   this runs again for every page swapped in, loading what the new page needs. A loaded module
   runs its component on every page from then on itself (core.js's onPage), so each module is
   loaded once per visit.

   A module is loaded by a <script type="module"> element rather than import(): the browser holds
   the page's load event for a script element (not for an import()), so a learner who acts as
   soon as the page has loaded never meets a quiz or a sign-off button that is not working yet. */

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
  "guided.js": "#guided",
  "assign.js": "[data-assign-builder]",
  "assignment.js": "[data-assignment]",
  "certificate.js": "[data-certificate]",
  "my-learning.js": "[data-my-learning]",
};

const loaded = new Set();

function load(module) {
  loaded.add(module);
  const script = document.createElement("script");
  script.type = "module";
  script.src = new URL("./" + module, import.meta.url).href;
  document.head.appendChild(script);
}

/** The modules this page needs that are not loaded yet; loading them. */
export function loadComponents() {
  for (const [module, root] of Object.entries(COMPONENTS)) {
    if (!loaded.has(module) && document.querySelector(root)) { load(module); }
  }
}

loadComponents();  /* now, not at DOMContentLoaded: a module script runs once the page is parsed */
onPage(loadComponents);
