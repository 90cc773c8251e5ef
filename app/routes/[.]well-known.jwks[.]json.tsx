import type { LoaderFunctionArgs } from "@remix-run/node";
import { jwksUrl } from "~/records/credentials.server";
import { publicOrigin } from "~/records/origin.server";
import { publicKeySet } from "~/records/signing-key.server";

// The organisation's public signing keys (decision 022): anyone can verify a certificate with these alone.
export function loader({ request }: LoaderFunctionArgs) {
  return new Response(JSON.stringify(publicKeySet(jwksUrl(publicOrigin(request)))), {
    headers: { "Content-Type": "application/jwk-set+json; charset=utf-8", "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" },
  });
}
