import type { Migration } from "kysely";
import * as m0001 from "./0001-organisation";
import * as m0002 from "./0002-accounts-learning";
import * as m0003 from "./0003-indicators";
import * as m0004 from "./0004-cohorts";
import * as m0005 from "./0005-hashed-session-ids";
import * as m0006 from "./0006-hashed-supervision-ids";
import * as m0007 from "./0007-cohort-invitations";
import * as m0009 from "./0009-login-limits";
import * as m0011 from "./0011-deadlines-roster-history";
import * as m0012 from "./0012-reminders-outbox";
import * as m0013 from "./0013-practice-tasks";
import * as m0014 from "./0014-credentials-and-xapi";
import * as m0015 from "./0015-records-exports-oidc";
import * as m0016 from "./0016-pending-roster-import";
import * as m0017 from "./0017-agency-roster-indexes";
import * as m0018 from "./0018-person-reference-indexes";
import * as m0019 from "./0019-session-expiry-index";
import * as m0020 from "./0020-quiz-statements-at-send-time";
import * as m0021 from "./0021-fewer-person-indexes";

// Migrations are imported statically so they are bundled into the server build and run the same way from
// scripts and tests. Forward-only: never edit a migration that has shipped; add a new one.
export const migrations: Record<string, Migration> = {
  "0001-organisation": m0001,
  "0002-accounts-learning": m0002,
  "0003-indicators": m0003,
  "0004-cohorts": m0004,
  "0005-hashed-session-ids": m0005,
  "0006-hashed-supervision-ids": m0006,
  "0007-cohort-invitations": m0007,
  "0009-login-limits": m0009,
  "0011-deadlines-roster-history": m0011,
  "0012-reminders-outbox": m0012,
  "0013-practice-tasks": m0013,
  "0014-credentials-and-xapi": m0014,
  "0015-records-exports-oidc": m0015,
  "0016-pending-roster-import": m0016,
  "0017-agency-roster-indexes": m0017,
  "0018-person-reference-indexes": m0018,
  "0019-session-expiry-index": m0019,
  "0020-quiz-statements-at-send-time": m0020,
  "0021-fewer-person-indexes": m0021,
};
