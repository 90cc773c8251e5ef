import type { LoaderFunctionArgs } from "@remix-run/node";
import { issuerProfile } from "~/records/credentials.server";
import { publicOrigin } from "~/records/origin.server";

// The issuer of every credential, as an Open Badges 3.0 Profile at the address its id names.
export function loader({ request }: LoaderFunctionArgs) {
  return new Response(JSON.stringify(issuerProfile(publicOrigin(request))), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" },
  });
}
