import type { Generated } from "kysely";

// Typed schema of the SQLite database. Keep in step with db/migrations (forward-only).
// Times are ISO-8601 UTC strings unless named *_at in an integer column (lucia's session.expires_at).

export interface CommuneTable {
  code: string; // official 5-digit code, text
  name: string;
  type: string; // "xã" | "phường"
  search_name: string; // diacritic-free, for matching
}

export interface CommuneAliasTable {
  id: Generated<number>;
  commune_code: string;
  alias: string; // pre-2025 unit name, e.g. "Phường Hiệp Ninh"
  search_alias: string;
}

export interface PendingImportTable {
  id: string;
  file_name: string;
  content: string;
  leaving_key: string;
  created_by: string | null;
  created_at: string;
}

export interface AgencyTable {
  code: string;
  name: string;
  level: "province" | "commune";
  commune_code: string | null;
  search_name: string;
}

export type PersonKind = "citizen" | "official";

export interface PersonTable {
  id: string;
  username: string;
  full_name: string;
  search_name: string;
  birth_year: number;
  commune_code: string;
  kind: PersonKind;
  phone: string | null;
  agency_code: string | null;
  personnel_code: string | null;
  password_hash: string;
  must_change_password: Generated<number>;
  consent_at: string;
  consent_method: string; // "self" | "assisted:<how>"
  consent_recorded_by: string | null;
  created_at: string;
  created_by: string | null;
  is_demo: Generated<number>;
  email: string | null; // optional, for reminders only (migration 0012)
}

export type Role = "trainer" | "commune_officer" | "agency_officer" | "admin";

export interface PersonRoleTable {
  person_id: string;
  role: Role;
  scope: Generated<string>; // commune code for commune_officer, agency code for agency_officer, "" otherwise
  granted_by: string | null;
  granted_at: string;
}

export interface SessionTable {
  id: string;
  expires_at: number;
  user_id: string;
}

export interface RateLimitTable {
  key: string;
  window_start: number;
  count: number;
}

export interface LoginThrottleTable {
  key: string;
  attempts: number;
  /** Milliseconds since the epoch. */
  last_attempt_at: number;
}

export interface KnownLoginTable {
  person_id: string;
  kind: "device" | "address";
  key_hash: string;
  /** Milliseconds since the epoch. */
  last_success_at: number;
}

export interface LessonProgressTable {
  person_id: string;
  course_slug: string;
  lesson_slug: string;
  first_viewed_at: string;
  completed_at: string | null;
}

export interface CourseProgressTable {
  person_id: string;
  course_slug: string;
  last_lesson_slug: string | null;
  started_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface QuizAttemptTable {
  id: Generated<number>;
  person_id: string;
  course_slug: string;
  idempotency_key: string;
  submitted_at: string;
  correct_count: number;
  question_count: number;
  percent: number;
  passed: number;
  content_version: string;
  supervised_by: string | null;
  /** When the quiz form was opened (ISO, UTC), if the form said so: for the xAPI statements (decision 034). */
  opened_at: string | null;
}

export interface QuizAnswerTable {
  attempt_id: number;
  question_id: string;
  selected: string;
  is_correct: number;
}

export interface CertificateTable {
  code: string;
  person_id: string;
  course_slug: string;
  full_name: string;
  course_title: string;
  competences: string;
  issued_at: string;
}

export interface DeletedAccountTallyTable {
  month: string;
  kind: string;
  commune_code: string;
  accounts: number;
  completions: number;
}

export interface RosterOfficialTable {
  personnel_code: string;
  full_name: string;
  search_name: string;
  birth_year: number;
  agency_code: string;
  commune_code: string | null;
  status: "active" | "left";
  updated_at: string;
  joined_on: string | null; // Vietnam date; null: since before the platform (migration 0011)
  left_on: string | null; // Vietnam date the entry stopped being active
}

export interface AdultPopulationTable {
  commune_code: string;
  year: number;
  adult_population: number;
}

export interface ImportBatchTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  sha256: string;
  rows: number;
  changed: number;
  imported_by: string | null;
  imported_at: string;
}

export interface IndicatorTable {
  id: string;
  name: string;
  population: "officials" | "adults";
  course_set: string;
  min_age: Generated<number>;
  position: Generated<number>;
  measure: Generated<"course-set" | "service-use">; // migration 0013
  sector: Generated<string>; // '' = every sector the measure covers
  evidence: Generated<"any" | "confirmed">;
}

// Practice tasks (migration 0013): the learner's self-report and a trainer's in-person confirmation, kept apart.
export interface TaskRecordTable {
  person_id: string;
  course_slug: string;
  task_id: string;
  self_reported_at: string | null;
  confirmed_at: string | null;
  confirmed_by: string | null;
  confirmed_cohort_id: number | null;
}

export interface IndicatorTargetTable {
  indicator_id: string;
  year: number;
  target_percent: number;
  deadline: string | null; // Vietnam date the target falls due; null: 31/12 of the year (migration 0011)
}

export interface AgencyDeadlineTable {
  indicator_id: string;
  agency_code: string;
  deadline: string;
  set_by: string | null;
  set_at: string;
}

export interface ReminderTable {
  id: Generated<number>;
  person_id: string;
  agency_code: string;
  day: string; // Vietnam date: at most one reminder per official per day
  message: string;
  sent_by: string | null;
  created_at: string;
  seen_at: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  dedupe_key: string;
  recipient: string;
  subject: string;
  body: string;
  status: Generated<"pending" | "sending" | "sent" | "failed">;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  agency_code: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface DeliveryLogTable {
  id: Generated<number>;
  outbox_id: number;
  attempted_at: string;
  ok: number;
  detail: string;
}

export interface IndicatorCountTable {
  indicator_id: string;
  agency_code: string;
  commune_code: string;
  month: string; // YYYY-MM
  count: number;
}

export interface IndicatorBuildTable {
  indicator_id: string;
  courses_key: string;
  built_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CohortTable {
  id: Generated<number>;
  join_code: string;
  name: string;
  commune_code: string;
  start_date: string;
  end_date: string | null;
  created_by: string | null;
  created_at: string;
  archived_at: string | null;
}

export interface CohortCourseTable {
  cohort_id: number;
  course_slug: string;
}

export interface CohortTrainerTable {
  cohort_id: number;
  person_id: string;
  is_owner: Generated<number>;
  added_at: string;
}

export interface CohortMemberTable {
  cohort_id: number;
  person_id: string;
  joined_at: string;
  joined_via: string; // "code" | "assisted" | "quick-add"
}

export interface CohortInvitationTable {
  cohort_id: number;
  person_id: string;
  invited_by: string | null;
  session_id: number | null;
  created_at: string;
  answered_at: string | null;
  accepted: number | null; // null while pending, 1 accepted, 0 declined
}

export interface TrainingSessionTable {
  id: Generated<number>;
  cohort_id: number;
  held_on: string;
  place: string;
  topic: string;
  course_slug: string | null;
  recorded_by: string | null;
  recorded_at: string;
}

export interface SessionAttendanceTable {
  session_id: number;
  person_id: string;
}

export interface SupervisedSessionTable {
  id: string;
  trainer_id: string;
  learner_id: string;
  cohort_id: number;
  started_at: string;
  expires_at: number;
  ended_at: string | null;
}

// Issue 20: certificate revocations, the xAPI outbox, the confirmation export, single sign-on.
export interface CertificateRevocationTable {
  code: string;
  reason: string;
  revoked_by: string | null;
  revoked_at: string;
}

export interface XapiOutboxTable {
  id: string;
  person_id: string;
  verb: string;
  statement: string;
  timestamp: string;
  attempts: Generated<number>;
  /** Milliseconds since the epoch. */
  next_attempt_at: Generated<number>;
  sent_at: string | null;
  last_error: string | null;
  /** The quiz attempt the statement was built from (decision 034); null for other events. */
  attempt_id: number | null;
}

/** How far `xapi:send` has built statements from a source table (decision 034). */
export interface XapiSourceCursorTable {
  source: string;
  last_id: number;
}

export interface CitizenIdConsentTable {
  person_id: string;
  citizen_id: string;
  consented_at: string;
}

export interface ExportDownloadTable {
  id: Generated<number>;
  person_id: string | null;
  scope: string;
  period: string;
  format: string;
  rows: number;
  downloaded_at: string;
}

export interface OidcLinkTable {
  issuer: string;
  subject: string;
  person_id: string;
  linked_at: string;
}

export interface OidcFlowTable {
  token_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  issuer: string | null;
  subject: string | null;
  claimed_name: string | null;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

export interface DB {
  certificate_revocation: CertificateRevocationTable;
  xapi_outbox: XapiOutboxTable;
  xapi_source_cursor: XapiSourceCursorTable;
  citizen_id_consent: CitizenIdConsentTable;
  export_download: ExportDownloadTable;
  oidc_link: OidcLinkTable;
  oidc_flow: OidcFlowTable;
  cohort: CohortTable;
  cohort_course: CohortCourseTable;
  cohort_trainer: CohortTrainerTable;
  cohort_member: CohortMemberTable;
  cohort_invitation: CohortInvitationTable;
  training_session: TrainingSessionTable;
  session_attendance: SessionAttendanceTable;
  supervised_session: SupervisedSessionTable;
  roster_official: RosterOfficialTable;
  adult_population: AdultPopulationTable;
  import_batch: ImportBatchTable;
  pending_import: PendingImportTable;
  indicator: IndicatorTable;
  task_record: TaskRecordTable;
  indicator_target: IndicatorTargetTable;
  agency_deadline: AgencyDeadlineTable;
  reminder: ReminderTable;
  outbox: OutboxTable;
  delivery_log: DeliveryLogTable;
  indicator_count: IndicatorCountTable;
  retained_count: IndicatorCountTable;
  indicator_build: IndicatorBuildTable;
  api_token: ApiTokenTable;
  commune: CommuneTable;
  commune_alias: CommuneAliasTable;
  agency: AgencyTable;
  person: PersonTable;
  person_role: PersonRoleTable;
  session: SessionTable;
  rate_limit: RateLimitTable;
  login_throttle: LoginThrottleTable;
  known_login: KnownLoginTable;
  lesson_progress: LessonProgressTable;
  course_progress: CourseProgressTable;
  quiz_attempt: QuizAttemptTable;
  quiz_answer: QuizAnswerTable;
  certificate: CertificateTable;
  deleted_account_tally: DeletedAccountTallyTable;
}
