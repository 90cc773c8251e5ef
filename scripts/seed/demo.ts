import type { Kysely } from "kysely";
import { createPerson, usernameTaken } from "~/accounts/people.server";
import { db as appDb, nowIso } from "~/db.server";
import type { DB, Role } from "../../db/schema";
import { seedDemoAgencies } from "./organisation";

// Demo data for a first look at the site: one account per role (listed in the README). Never in production.

export const DEMO_PASSWORD = "hocvuso-demo";

type DemoAccount = {
  username: string;
  fullName: string;
  kind: "citizen" | "official";
  communeCode: string;
  agencyCode?: string;
  personnelCode?: string;
  role?: { role: Role; scope: string };
};

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: "demo-hocvien", fullName: "Học Viên Mẫu", kind: "citizen", communeCode: "25459" },
  { username: "demo-canbo", fullName: "Cán Bộ Mẫu", kind: "official", communeCode: "25480", agencyCode: "SKHCN", personnelCode: "DEMO-0001" },
  { username: "demo-taphuan", fullName: "Tập Huấn Viên Mẫu", kind: "citizen", communeCode: "25486", role: { role: "trainer", scope: "" } },
  { username: "demo-taphuan2", fullName: "Tập Huấn Viên Thứ Hai", kind: "citizen", communeCode: "25489", role: { role: "trainer", scope: "" } },
  {
    username: "demo-xa",
    fullName: "Cán Bộ Xã Mẫu",
    kind: "official",
    communeCode: "25459",
    agencyCode: "UBND-25459",
    personnelCode: "DEMO-0002",
    role: { role: "commune_officer", scope: "25459" },
  },
  {
    username: "demo-donvi",
    fullName: "Phụ Trách Đào Tạo Mẫu",
    kind: "official",
    communeCode: "25480",
    agencyCode: "SKHCN",
    personnelCode: "DEMO-0003",
    role: { role: "agency_officer", scope: "SKHCN" },
  },
  {
    username: "demo-quantri",
    fullName: "Quản Trị Mẫu",
    kind: "official",
    communeCode: "25459",
    agencyCode: "VP-UBND",
    personnelCode: "DEMO-0004",
    role: { role: "admin", scope: "" },
  },
];

export async function seedDemo(migrationDb: Kysely<DB>): Promise<string> {
  if (process.env.NODE_ENV === "production" && process.env.ALLOW_DEMO !== "1") {
    throw new Error("Không tạo dữ liệu mẫu trên hệ thống thật (NODE_ENV=production).");
  }
  const agencies = await seedDemoAgencies(migrationDb);
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    if (await usernameTaken(account.username)) continue;
    const id = await createPerson({
      username: account.username,
      fullName: account.fullName,
      birthYear: 1985,
      communeCode: account.communeCode,
      kind: account.kind,
      password: DEMO_PASSWORD,
      agencyCode: account.agencyCode ?? null,
      personnelCode: account.personnelCode ?? null,
      consentMethod: "self",
      isDemo: true,
    });
    if (account.role) {
      await appDb()
        .insertInto("person_role")
        .values({ person_id: id, role: account.role.role, scope: account.role.scope, granted_by: null, granted_at: nowIso() })
        .execute();
    }
    created++;
  }
  return `Dữ liệu mẫu: ${agencies} cơ quan, ${created} tài khoản mẫu mới (mật khẩu: ${DEMO_PASSWORD}).`;
}
