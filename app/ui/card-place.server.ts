import { qrSvg } from "./qr.server";
import type { CardPlace } from "./login-card";
import { publicOrigin } from "~/records/origin.server";

/** The address and class code printed on a login card; the QR code opens the login page. */
export async function cardPlace(request: Request, joinCode: string): Promise<CardPlace> {
  const site = publicOrigin(request);
  return { site, joinCode, qr: await qrSvg(`${site}/dang-nhap`) };
}
