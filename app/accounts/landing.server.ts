import { db } from "~/db.server";
import { landingPath } from "./landing";

/** The page a person lands on after logging in without asking for one (see landing.ts). */
export async function landingPathFor(personId: string): Promise<string> {
  const roles = await db().selectFrom("person_role").select("role").where("person_id", "=", personId).execute();
  return landingPath(roles);
}
