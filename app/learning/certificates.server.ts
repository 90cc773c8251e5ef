import { randomInt } from "node:crypto";
import type { Insertable, Transaction } from "kysely";
import { findCompetence } from "~/courses/framework";
import { db, preparedQuery } from "~/db.server";
import type { CertificateTable, DB } from "../../db/schema";

// Certificate codes: 10 characters from 32 that cannot be confused when read aloud or retyped (no 0/O, 1/I),
// i.e. 50 random bits — far too many to guess or enumerate, and the lookup page is rate-limited too.
export const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CODE_LENGTH = 10;

export function newCertificateCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function formatCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** "abcde-fghjk", "ABCDE FGHJK" → "ABCDEFGHJK"; null if it cannot be a code at all. */
export function normalizeCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}

// Issued inside the group commit of the quiz answer that completes a course: compiled once (db/prepared.ts).
const selectCertificateOf = preparedQuery((db, personId: string, courseSlug: string) =>
  db.selectFrom("certificate").select("code").where("person_id", "=", personId).where("course_slug", "=", courseSlug),
);
const selectCertificateCode = preparedQuery((db, code: string) => db.selectFrom("certificate").select("code").where("code", "=", code));
const insertCertificate = preparedQuery((db, row: Insertable<CertificateTable>) => db.insertInto("certificate").values(row));

export async function issueCertificate(
  trx: Transaction<DB>,
  person: { id: string; fullName: string },
  course: { slug: string; title: string; competences: string[] },
  issuedAt: string,
): Promise<string> {
  const [existing] = await selectCertificateOf(trx, person.id, course.slug);
  if (existing) return existing.code;
  for (;;) {
    const code = newCertificateCode();
    const [clash] = await selectCertificateCode(trx, code);
    if (clash) continue;
    await insertCertificate(trx, {
      code,
      person_id: person.id,
      course_slug: course.slug,
      full_name: person.fullName,
      course_title: course.title,
      competences: JSON.stringify(course.competences),
      issued_at: issuedAt,
    });
    return code;
  }
}

export type CertificateView = {
  code: string;
  displayCode: string;
  fullName: string;
  courseSlug: string;
  courseTitle: string;
  competences: { code: string; name: string }[];
  issuedAt: string;
};

function view(row: DB["certificate"]): CertificateView {
  const codes = JSON.parse(row.competences) as string[];
  return {
    code: row.code,
    displayCode: formatCode(row.code),
    fullName: row.full_name,
    courseSlug: row.course_slug,
    courseTitle: row.course_title,
    competences: codes.map((c) => ({ code: c, name: findCompetence(c)?.name ?? c })),
    issuedAt: row.issued_at,
  };
}

export async function findCertificate(code: string): Promise<(CertificateView & { personId: string }) | undefined> {
  const row = await db().selectFrom("certificate").selectAll().where("code", "=", code).executeTakeFirst();
  return row && { ...view(row), personId: row.person_id };
}

export async function certificatesOf(personId: string): Promise<CertificateView[]> {
  const rows = await db().selectFrom("certificate").selectAll().where("person_id", "=", personId).orderBy("issued_at", "desc").execute();
  return rows.map(view);
}
