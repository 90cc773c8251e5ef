// npm run keys:generate [-- --rotate] — creates the organisation's Ed25519 key that signs certificates
// (decision 022). The file (CREDENTIAL_KEY_PATH, default data/credential-key.json) must stay outside the
// repository and be backed up: without it no new credential can be signed. A second run changes nothing;
// --rotate makes a new signing key and keeps the old public keys published.
import { generateSigningKey } from "../app/records/signing-key.server";

const result = await generateSigningKey({ rotate: process.argv.includes("--rotate") });
console.log(
  result.created
    ? `Đã tạo khóa ký ${result.kid} tại ${result.file}. Hãy sao lưu tệp này cùng với cơ sở dữ liệu.`
    : `Đã có khóa ký ${result.kid} tại ${result.file}; không thay đổi gì (dùng --rotate để đổi khóa).`,
);
