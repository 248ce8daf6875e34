// Quiz scoring in the browser: the rules receipts/scoring.py re-scores receipts with.
import assert from "node:assert/strict";
import { test } from "node:test";
import { python, PURE } from "./python.js";

const { isRight, percent, withAttempt } = await import(new URL("scoring.js", PURE));

test("each answer is right or wrong as scoring.py's is_right() says", () => {
  for (const question of python.scoring.questions) {
    for (const [answer, right] of question.answers) {
      assert.equal(isRight(question, answer), right, `${question.kind} ${JSON.stringify(question.correct)} ← ${JSON.stringify(answer)}`);
    }
  }
});

test("a whole attempt scores as scoring.py's score()", () => {
  for (const quiz of python.scoring.quizzes) {
    const right = quiz.questions.filter((q) => isRight(q, quiz.answers[q.id] || [])).length;
    assert.deepEqual([right, quiz.questions.length, percent(right, quiz.questions.length)], quiz.score);
  }
});

test("percent() rounds as Score.percent does", () => {
  for (const [right, total, expected] of python.scoring.percents) { assert.equal(percent(right, total), expected, `${right}/${total}`); }
});

test("withAttempt() keeps the best attempt's answers and a pass", () => {
  const base = { fingerprint: "f1", passMark: 80, total: 5 };
  const first = withAttempt(null, { ...base, right: 4, answers: { q: ["c0"] }, at: "2026-01-01" });
  assert.deepEqual(first, {
    fingerprint: "f1", best: 80, passed: true, attempts: 1, last: 80, at: "2026-01-01",
    bestAttempt: { score: 80, right: 4, total: 5, answers: { q: ["c0"] }, at: "2026-01-01" },
  });
  const worse = withAttempt(first, { ...base, right: 1, answers: { q: ["c1"] }, at: "2026-01-02" });
  assert.equal(worse.attempts, 2);
  assert.equal(worse.last, 20);
  assert.equal(worse.best, 80);
  assert.equal(worse.passed, true);                         // a pass stays a pass
  assert.deepEqual(worse.bestAttempt, first.bestAttempt);   // the receipt carries the best answers
  const equal = withAttempt(worse, { ...base, right: 4, answers: { q: ["c2"] }, at: "2026-01-03" });
  assert.deepEqual(equal.bestAttempt.answers, { q: ["c0"] }); // only a better score replaces them
  assert.equal(first.attempts, 1);                          // the earlier record is left as it was
  const failing = withAttempt(null, { ...base, right: 3, answers: {}, at: "2026-01-04" });
  assert.equal(failing.passed, false);
});
