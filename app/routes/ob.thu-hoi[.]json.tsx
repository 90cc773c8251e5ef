import type { LoaderFunctionArgs } from "@remix-run/node";
import { revocationList } from "~/records/credentials.server";
import { publicOrigin } from "~/records/origin.server";

// The revocation list every credential points to (credentialStatus): public, never cached for long.
export async function loader({ request }: LoaderFunctionArgs) {
  return new Response(JSON.stringify(await revocationList(publicOrigin(request))), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*" },
  });
}
