/** The smallest Remix app: one route that renders a word. The "trivial Remix route" baseline. */
export default {
  serverModuleFormat: "esm",
  future: { v3_singleFetch: true, v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true },
};
