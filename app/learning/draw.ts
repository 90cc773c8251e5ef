import { createHash } from "node:crypto";
import type { Quiz } from "~/courses/types";

// Which questions of the bank one attempt asks (decision 009). The draw is a pure function of the person, the
// course and the attempt's number, so the page and the grading compute the same questions without storing
// anything or trusting the browser: the server grades attempt n against draw(n), and n is the number of
// attempts already stored plus one. Different people and different attempts get different questions.

export type DrawnQuiz = Pick<Quiz, "passPercent" | "questions">;

/** The questions asked in attempt `attemptNumber` (1-based), in bank order, numbered 1…k. */
export function drawQuestions(quiz: Quiz, personId: string, courseSlug: string, attemptNumber: number): DrawnQuiz {
  const size = Math.min(quiz.questionsPerAttempt, quiz.questions.length);
  if (size >= quiz.questions.length) return { passPercent: quiz.passPercent, questions: quiz.questions };
  const random = seededRandom(`${personId}\n${courseSlug}\n${attemptNumber}`);
  // Partial Fisher–Yates over the bank's positions: the first `size` positions are the draw.
  const positions = quiz.questions.map((_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (positions.length - i));
    [positions[i], positions[j]] = [positions[j], positions[i]];
  }
  const chosen = positions.slice(0, size).sort((a, b) => a - b);
  return { passPercent: quiz.passPercent, questions: chosen.map((p, i) => ({ ...quiz.questions[p], number: i + 1 })) };
}

/** A small deterministic generator seeded from SHA-256 (mulberry32): not for secrets, only for a fair draw. */
function seededRandom(seed: string): () => number {
  let state = createHash("sha256").update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
