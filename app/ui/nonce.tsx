import { createContext, useContext } from "react";

// The per-request Content-Security-Policy nonce, for the few inline scripts Remix writes on pages that hydrate.
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
