import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { makePerson, useTempDatabase } from "./support/db";

// Who may see which report, the API's bearer tokens, the report URL's parameters and an agency's named
// roster. Real SQLite file; what a request changed is read from the database directly.

beforeAll(async () => {
  await useTempDatabase();
}, 60_000);

async function signedInRequest(roles: Array<{ role: string; scope: string }>, url = "http://localhost/bao-cao") {
  const { startSession } = await import("~/accounts/lucia.server");
  const { db, nowIso } = await import("~/db.server");
  const person = await makePerson();
  for (const { role, scope } of roles) {
    await db()
      .insertInto("person_role")
      .values({ person_id: person, role: role as "admin", scope, granted_by: null, granted_at: nowIso() })
      .execute();
  }
  const cookie = (await startSession(person)).split(";")[0];
  return new Request(url, { headers: { Cookie: cookie } });
}

async function refusal(promise: Promise<unknown>) {
  const thrown = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(Response);
  const response = thrown as Response;
  return { status: response.status, text: await response.text(), location: response.headers.get("Location") };
}

describe("report scopes", () => {
  it("an administrator sees the province, officers their commune or agency, a trainer nothing", async () => {
    const { reportScopesOf: scopesOf } = await import("~/accounts/permissions.server");
    const user = (roles: Array<{ role: string; scope: string }>) => ({ roles }) as unknown as Parameters<typeof scopesOf>[0];
    expect(
      scopesOf(
        user([
          { role: "trainer", scope: "" },
          { role: "admin", scope: "" },
        ]),
      ),
    ).toEqual([{ kind: "province" }]);
    expect(
      scopesOf(
        user([
          { role: "commune_officer", scope: "25459" },
          { role: "trainer", scope: "" },
          { role: "agency_officer", scope: "SNV" },
        ]),
      ),
    ).toEqual([
      { kind: "commune", code: "25459" },
      { kind: "agency", code: "SNV" },
    ]);
    expect(scopesOf(user([{ role: "trainer", scope: "" }]))).toEqual([]);
    expect(scopesOf(user([]))).toEqual([]);
  });

  it("canSee: the province sees all; a scope sees only its own kind and code, never the province", async () => {
    const { canSee } = await import("~/reports/access.server");
    const province = { kind: "province" } as const;
    const commune = (code: string) => ({ kind: "commune", code }) as const;
    const agency = (code: string) => ({ kind: "agency", code }) as const;
    expect(canSee([province], commune("25480"))).toBe(true);
    expect(canSee([province], province)).toBe(true);
    expect(canSee([commune("25459")], commune("25459"))).toBe(true);
    expect(canSee([commune("25459")], commune("25480"))).toBe(false);
    expect(canSee([commune("25459")], agency("25459"))).toBe(false);
    expect(canSee([commune("25459")], province)).toBe(false);
    expect(canSee([agency("SNV")], agency("SNV"))).toBe(true);
    expect(canSee([commune("25459"), agency("SNV")], agency("SNV"))).toBe(true);
    expect(canSee([], commune("25459"))).toBe(false);
  });

  it("requireReportAccess: officers get their scopes, a plain learner a 403 in Vietnamese, the signed-out go to login", async () => {
    const { requireReportAccess } = await import("~/reports/access.server");
    const officer = await requireReportAccess(await signedInRequest([{ role: "commune_officer", scope: "25459" }]));
    expect(officer.scopes).toEqual([{ kind: "commune", code: "25459" }]);
    expect(officer.user.roles).toEqual([{ role: "commune_officer", scope: "25459" }]);
    expect(await refusal(requireReportAccess(await signedInRequest([{ role: "trainer", scope: "" }])))).toEqual({
      status: 403,
      text: "Trang báo cáo chỉ dành cho quản trị viên, cán bộ phụ trách xã/phường và cán bộ phụ trách đào tạo của cơ quan.",
      location: null,
    });
    expect(await refusal(requireReportAccess(new Request("http://localhost/bao-cao?ky=2026")))).toMatchObject({
      status: 302,
      location: "/dang-nhap?tiep=%2Fbao-cao%3Fky%3D2026",
    });
  });
});

describe("report URL parameters", () => {
  it("read the period and the sort, with defaults; bad values get a Vietnamese 400", async () => {
    const { reportParams } = await import("~/reports/page-input.server");
    const at = (query: string) => new Request(`http://localhost/bao-cao${query}`);
    expect(reportParams(at("?ky=2026-03&sap-xep=ten"))).toEqual({ period: { label: "2026-03", endMonth: "2026-03", year: 2026 }, sort: "ten" });
    expect(reportParams(at("?ky=2025&sap-xep=ti-le"))).toEqual({ period: { label: "2025", endMonth: "2025-12", year: 2025 }, sort: "ti-le" });
    const plain = reportParams(at(""));
    expect(plain.sort).toBe("khoang-cach");
    expect(plain.period.year).toBe(new Date().getUTCFullYear());
    const bad = (query: string) => refusal(Promise.resolve().then(() => reportParams(at(query))));
    expect(await bad("?ky=2019")).toEqual({
      status: 400,
      text: "Kỳ báo cáo không hợp lệ. Hãy nhập năm (ví dụ 2026) hoặc tháng (ví dụ 2026-03).",
      location: null,
    });
    expect(await bad("?ky=2026&sap-xep=ngau-nhien")).toEqual({ status: 400, text: "Cách sắp xếp không hợp lệ.", location: null });
    expect(await bad("?sap-xep=toString")).toMatchObject({ status: 400 });
  });
});

describe("API tokens", () => {
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const bearer = (value: string) => new Request("http://localhost/api/bao-cao", { headers: { Authorization: value } });

  it("are shown once, stored only as a hash, and authenticate a request until revoked", async () => {
    const { createApiToken, authenticateBearer, revokeApiToken, listApiTokens } = await import("~/reports/api-tokens.server");
    const { db } = await import("~/db.server");
    const token = await createApiToken("Trung tâm điều hành", null);
    expect(token).toMatch(/^hvs_[A-Za-z0-9_-]{43}$/);
    const stored = await db().selectFrom("api_token").selectAll().where("token_hash", "=", sha256(token)).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ name: "Trung tâm điều hành", created_by: null, last_used_at: null, revoked_at: null });
    expect(JSON.stringify(await db().selectFrom("api_token").selectAll().execute())).not.toContain(token);

    expect(await authenticateBearer(bearer(`Bearer ${token}`))).toBe(stored.id);
    expect(await authenticateBearer(bearer(`Bearer   ${token}  `))).toBe(stored.id);
    const used = await db().selectFrom("api_token").select("last_used_at").where("id", "=", stored.id).executeTakeFirstOrThrow();
    expect(Date.parse(used.last_used_at!)).toBeGreaterThan(Date.now() - 60_000);

    await revokeApiToken(stored.id);
    expect(await authenticateBearer(bearer(`Bearer ${token}`))).toBeNull();
    const listed = (await listApiTokens()).find((t) => t.id === stored.id)!;
    expect(listed.revoked_at).not.toBeNull();
    expect(Object.keys(listed).sort()).toEqual(["created_at", "id", "last_used_at", "name", "revoked_at"]);
  });

  it("revoking twice keeps the first revocation date; the list is newest first", async () => {
    const { createApiToken, revokeApiToken, listApiTokens } = await import("~/reports/api-tokens.server");
    const { db } = await import("~/db.server");
    const person = await makePerson();
    await createApiToken("Cũ", person);
    await createApiToken("x".repeat(150), person);
    const list = await listApiTokens();
    expect(list.slice(0, 2).map((t) => t.name)).toEqual(["x".repeat(100), "Cũ"]);
    const id = list[0].id;
    await db().updateTable("api_token").set({ revoked_at: "2026-01-01T00:00:00.000Z" }).where("id", "=", id).execute();
    await revokeApiToken(id);
    expect((await db().selectFrom("api_token").select("revoked_at").where("id", "=", id).executeTakeFirstOrThrow()).revoked_at).toBe(
      "2026-01-01T00:00:00.000Z",
    );
    expect((await db().selectFrom("api_token").select("created_by").where("id", "=", id).executeTakeFirstOrThrow()).created_by).toBe(person);
  });

  it("refuse anything that is not exactly Bearer hvs_… with a known token", async () => {
    const { createApiToken, authenticateBearer } = await import("~/reports/api-tokens.server");
    const token = await createApiToken("Kiểm thử", null);
    for (const header of [
      token,
      `Basic ${token}`,
      `Bearer ${token}x!`,
      // The real token with something after it: a header ends with the token.
      `Bearer ${token}!`,
      `Bearer ${token} extra`,
      `xBearer ${token}`,
      `Bearer hvs_${"a".repeat(19)}`,
      `Bearer hvs_${"a".repeat(43)}`,
      "Bearer",
      "",
    ]) {
      expect(await authenticateBearer(bearer(header))).toBeNull();
    }
    expect(await authenticateBearer(new Request("http://localhost/api/bao-cao"))).toBeNull();
  });
});
