import { expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD } from "./accounts";

// The demo roles (README), as the authorization matrices try each of them.

export type Role = "anonymous" | "citizen" | "official" | "trainer" | "trainer2" | "commune" | "agency" | "admin";
export const ROLES: Role[] = ["anonymous", "citizen", "official", "trainer", "trainer2", "commune", "agency", "admin"];
export const USERNAMES: Record<Exclude<Role, "anonymous">, string> = {
  citizen: "demo-hocvien",
  official: "demo-canbo",
  trainer: "demo-taphuan",
  trainer2: "demo-taphuan2",
  commune: "demo-xa",
  agency: "demo-donvi",
  admin: "demo-quantri",
};

/** A request context signed in as the role (or signed out). */
export async function contextFor(role: Role, baseURL: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL });
  if (role !== "anonymous") {
    const response = await context.post("/dang-nhap", {
      form: { username: USERNAMES[role], password: DEMO_PASSWORD },
      headers: { Origin: baseURL },
      maxRedirects: 0,
    });
    expect(response.status(), `log in as ${role}`).toBe(302);
  }
  return context;
}
