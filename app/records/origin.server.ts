// The site's public address, used in every identifier that leaves the platform (credentials, xAPI, exports):
// PUBLIC_URL when set (production), otherwise the address the request came to.
export function publicOrigin(request?: Request): string {
  if (process.env.PUBLIC_URL) return new URL(process.env.PUBLIC_URL).origin;
  return request ? new URL(request.url).origin : "http://localhost";
}

/** The opaque, stable identifier of an account outside the platform: never its username, e-mail or phone. */
export async function learnerPseudonym(personId: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  return createHash("sha256").update(`hvs-learner:${personId}`).digest("hex").slice(0, 32);
}
