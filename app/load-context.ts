// The load context every loader and action receives, built by server/context.ts (decision 014). Declared on
// Remix's own AppLoadContext, so readers use `context.clientIp` with no cast.

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** The CSP nonce of this response; "" when the response may carry no script. */
    cspNonce: string;
    /** The client's address (server/context.ts: one rule, TRUST_PROXY aware); "unknown" when not known. */
    clientIp: string;
  }
}

export {};
