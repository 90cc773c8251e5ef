import type { Audience, CourseSet } from "./framework";
import type { PracticeTask, Sector, Source } from "./services";

// Shapes of the catalogue after loading. Everything here is plain data that can be sent to the browser,
// except `Question.correct`, `Question.explanationHtml` and `Question.lessonSlug`: use `publicQuiz()` before sending a quiz.

export type Lesson = {
  slug: string;
  number: number; // 1-based position in the course
  title: string;
  minutes: number;
  html: string;
  plainText: string; // title + body as plain text, for search snippets
  searchText: string; // foldAligned(plainText)
  pronounce: Record<string, string>; // word → how to say it when read aloud (course's and lesson's, decision 025)
};

export type QuizOption = { id: string; html: string };

export type Question = {
  id: string;
  number: number;
  kind: "single" | "multiple";
  stemHtml: string; // the heading, rendered inline
  bodyHtml: string; // optional text between heading and options
  options: QuizOption[];
  correct: string[]; // option ids — server only
  explanationHtml: string; // server only until the learner has passed
  lessonSlug: string; // the lesson to review when this question is missed — server only (decision 009)
};

export type Quiz = {
  title: string;
  introHtml: string;
  passPercent: number;
  maxAttempts: number; // 0 = unlimited
  freeAttempts: number; // failed attempts in a row allowed before the cool-down starts
  cooldownMinutes: number; // first cool-down; doubles after each further failure, at most a day
  questionsPerAttempt: number; // drawn from the bank for each attempt; equals questions.length when all are used
  questions: Question[]; // the bank
};

export type PublicQuestion = Omit<Question, "correct" | "explanationHtml" | "lessonSlug">;
export type PublicQuiz = Omit<Quiz, "questions"> & { questions: PublicQuestion[] };

export type Course = {
  slug: string;
  title: string;
  summary: string;
  audience: Audience[];
  competences: string[];
  domains: number[];
  minutes: number;
  order: number;
  sets: CourseSet[];
  sequential: boolean;
  sector: Sector;
  sources: Source[]; // "Căn cứ": the legal documents and official pages the course's facts rest on
  tasks: PracticeTask[]; // practice tasks; each task's `answer` is server only
  introHtml: string;
  lessons: Lesson[];
  quiz: Quiz;
  plainText: string; // title, summary and introduction as plain text
  searchText: string; // foldAligned(plainText)
};

export type Catalog = {
  version: string; // hash of every content file: changes on any edit
  courses: Course[];
};

export type Problem = { file: string; line: number; message: string };
