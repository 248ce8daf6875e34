/* Scoring a quiz attempt: the rules generator/sopkb/receipts/scoring.py applies when `sopkb
   report` re-scores a receipt (tests/js/scoring.test.js compares both on the same answers).
   A question is the page's answer key entry ({kind, correct}); an answer is what the page
   records: `c<i>` choices, `true`/`false`, or step ids in the order given. Pure. */

/** The same values, in any order, as many of each (scoring.py: equal lengths and equal sets). */
function sameSet(a, b) {
  return a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));
}

export function isRight(question, answer) {
  if (question.kind === "order") {
    return answer.length === question.correct.length && answer.every((item, i) => item === question.correct[i]);
  }
  return sameSet(answer, question.correct);
}

/** Rounded half up, as scoring.py's Score.percent; 0 for a quiz without questions. */
export function percent(right, total) {
  return total ? Math.round((100 * right) / total) : 0;
}

/** The learner's record after one more attempt at this version of the quiz. `record` is the
    earlier one (or null); the answers behind the best score are kept, so a receipt carries
    them and a report can re-score them. */
export function withAttempt(record, attempt) {
  const next = record
    ? { ...record }
    : { fingerprint: attempt.fingerprint, best: 0, passed: false, attempts: 0 };
  const score = percent(attempt.right, attempt.total);
  next.attempts += 1;
  next.last = score;
  next.at = attempt.at;
  if (!next.bestAttempt || score > next.best) {
    next.bestAttempt = { score, right: attempt.right, total: attempt.total, answers: attempt.answers, at: attempt.at };
  }
  next.best = Math.max(next.best, score);
  next.passed = next.passed || score >= attempt.passMark;
  return next;
}
