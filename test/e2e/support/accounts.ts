import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "hocvuso-demo";
let counter = 0;

/** A fresh username for each sign-up, unique across runs against the same database. */
export function uniqueUsername(prefix = "hv") {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export async function logIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/dang-nhap");
  await page.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất", exact: true })).toBeVisible();
}

export async function signUpCitizen(page: Page, opts: { username: string; fullName: string; commune?: string; password?: string }) {
  await page.goto("/dang-ky");
  await page.getByRole("textbox", { name: "Họ và tên" }).fill(opts.fullName);
  await page.getByLabel("Số điện thoại hoặc tên đăng nhập").fill(opts.username);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(opts.password ?? "matkhau-123");
  await page.getByLabel("Nhập lại mật khẩu").fill(opts.password ?? "matkhau-123");
  await page.getByRole("textbox", { name: "Năm sinh" }).fill("1962");
  await page.getByLabel("Xã/phường nơi bạn sống").fill(opts.commune ?? "tan ninh");
  await page.getByRole("checkbox", { name: /Tôi đồng ý/ }).check();
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
}

/** A person's name that is unique across runs against the same database (names allow letters only). */
export function uniqueName(base: string) {
  const letters = Date.now()
    .toString(26)
    .split("")
    .map((d) => "abcdefghijklmnopqrstuvwxyz"[parseInt(d, 26)])
    .join("");
  counter += 1;
  return `${base} ${letters[0].toUpperCase()}${letters.slice(1)}${"abcdefghij"[counter % 10]}`;
}
