import { formatVietnamDate, vietnamDateTime } from "~/ui/vietnam-time";

/**
 * One line naming an in-person session so that two sessions on the same day are told apart (issue 18 item 9):
 * the day, what was taught and where, and the time it was written down (Vietnam time).
 */
export function sessionLabel(session: { held_on: string; topic: string; place: string; recorded_at: string }): string {
  return `${formatVietnamDate(session.held_on)} — ${session.topic} tại ${session.place} (ghi lúc ${vietnamDateTime(session.recorded_at).slice(11)})`;
}

type RecordedSession = Parameters<typeof sessionLabel>[0] & { id: number; attendees: number };

/** The class's recorded sessions, one line each with how many attended (class page and sessions page). */
export function SessionList({ sessions }: { sessions: RecordedSession[] }) {
  return (
    <ul>
      {sessions.map((s) => (
        <li key={s.id}>
          {sessionLabel(s)}: {s.attendees} người
        </li>
      ))}
    </ul>
  );
}
