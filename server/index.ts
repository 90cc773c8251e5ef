// The production server's entry (decision 014). `npm run build` bundles this file with the whole app into
// build/index.js (remix.config.js: `server`), so the pipeline and the routes share one copy of every module
// — one database connection, one page cache — and `npm start` is plain `node build/index.js`.
import * as build from "@remix-run/dev/server-build";
import { startServer } from "./start";

await startServer(build);
