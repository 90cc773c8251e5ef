// npm run admin:create -- <username> "<Họ và tên>" <commune code>
// Creates the first province administrator with a temporary password that must be changed at first login.
import { randomBytes } from "node:crypto";
import { createPerson, normalizeUsername, usernameTaken } from "../app/accounts/people.server";
import { db, nowIso } from "../app/db.server";
import { communeByCode } from "../app/organisation/communes.server";
import { migrateToLatest, openConfiguredDatabase } from "../db/database";
import { seedOrganisation } from "./seed/organisation";

const [rawUsername, fullName, communeCode] = process.argv.slice(2);
if (!rawUsername || !fullName || !communeCode) {
  console.error('Cách dùng: npm run admin:create -- <tên-đăng-nhập> "<Họ và tên>" <mã xã/phường 5 số>');
  process.exit(2);
}
const setup = openConfiguredDatabase();
await migrateToLatest(setup.db);
await seedOrganisation(setup.db);
await setup.db.destroy();

const username = normalizeUsername(rawUsername);
if (await usernameTaken(username)) {
  console.error(`Tên đăng nhập "${username}" đã có. Hãy chọn tên khác.`);
  process.exit(1);
}
if (!(await communeByCode(communeCode))) {
  console.error(`Mã xã/phường "${communeCode}" không có trong danh sách 96 xã/phường của Tây Ninh.`);
  process.exit(1);
}
const password = randomBytes(9).toString("base64url");
const id = await createPerson({
  username,
  fullName: fullName.normalize("NFC"),
  birthYear: 1980,
  communeCode,
  kind: "official",
  password,
  consentMethod: "self",
  mustChangePassword: true,
});
await db().insertInto("person_role").values({ person_id: id, role: "admin", scope: "", granted_by: null, granted_at: nowIso() }).execute();
console.log(`Đã tạo quản trị viên ${username}. Mật khẩu tạm thời: ${password}\nHãy đăng nhập và đổi mật khẩu ngay (năm sinh đặt tạm là 1980; sửa sau).`);
await db().destroy();
