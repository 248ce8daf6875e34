/* Lists of quizzes (an SOP's, the quiz index): each shows the learner's state of the quiz. */

import { onPage } from "./core.js";
import { onLearnerChange } from "./records.js";
import { describeQuiz, quizRecord } from "./progress-state.js";

export function init() {
  for (const item of document.querySelectorAll("[data-quiz-id]")) {
    const { record, changed } = quizRecord(item.getAttribute("data-quiz-id"), item.getAttribute("data-fingerprint"));
    const target = item.querySelector("[data-quiz-state]");
    target.textContent = changed && !record ? "Changed since your last attempt" : describeQuiz(record);
    target.setAttribute("data-state", record ? (record.passed ? "passed" : "attempted") : "new");
  }
}

onLearnerChange(init);
onPage(init);
