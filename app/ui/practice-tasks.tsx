import { Form } from "@remix-run/react";
import type { PublicTask, Source } from "~/courses/services";
import { formatDate } from "./certificate";

// Practice tasks on the course page (decision 021) and the course's sources ("Căn cứ").

export type TaskView = PublicTask & { selfReportedAt: string | null; confirmedAt: string | null; confirmedBy: string | null };

function TaskStatus({ task }: { task: TaskView }) {
  if (!task.selfReportedAt && !task.confirmedAt) return null;
  return (
    <p className="done-mark">
      {task.selfReportedAt ? `✓ Bạn đã báo làm xong ngày ${formatDate(task.selfReportedAt)}.` : ""}
      {task.confirmedAt ? ` ✓ ${task.confirmedBy ?? "Người hướng dẫn"} đã xác nhận trực tiếp ngày ${formatDate(task.confirmedAt)}.` : ""}
    </p>
  );
}

/** One task: what to do, and for a signed-in learner the self-check question that records it as done. */
function TaskItem({ task, signedIn, error }: { task: TaskView; signedIn: boolean; error: string | null }) {
  return (
    <li className="task" id={`nhiem-vu-${task.id}`}>
      <h3>{task.title}</h3>
      <TaskStatus task={task} />
      {signedIn && !task.selfReportedAt ? (
        <Form method="post" action={`?index#nhiem-vu-${task.id}`}>
          <input type="hidden" name="intent" value="task-done" />
          <input type="hidden" name="task" value={task.id} />
          <fieldset>
            <legend>Tự kiểm tra: {task.question}</legend>
            {error ? (
              <p className="field-error" role="alert">
                {error}
              </p>
            ) : null}
            <div className="choices">
              {task.options.map((o) => (
                <label key={o.id}>
                  <input type="radio" name="answer" value={o.id} required />
                  <span>{o.text}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit">Tôi đã làm xong nhiệm vụ này</button>
        </Form>
      ) : null}
    </li>
  );
}

export function PracticeTasks({
  tasks,
  signedIn,
  loginHref,
  errorFor,
}: {
  tasks: TaskView[];
  signedIn: boolean;
  loginHref: string;
  errorFor: { task: string; error: string } | null;
}) {
  if (tasks.length === 0) return null;
  return (
    <section aria-labelledby="nhiem-vu">
      <h2 id="nhiem-vu">Nhiệm vụ thực hành</h2>
      <p>
        Làm thật trên điện thoại của mình, rồi trả lời một câu hỏi ngắn để ghi nhận. Người hướng dẫn ở lớp học cũng có thể xác nhận khi thấy bạn làm trực tiếp.
      </p>
      {signedIn ? null : (
        <p>
          <a href={loginHref}>Đăng nhập</a> để ghi nhận các nhiệm vụ bạn đã làm.
        </p>
      )}
      <ol className="task-list">
        {tasks.map((t) => (
          <TaskItem key={t.id} task={t} signedIn={signedIn} error={errorFor?.task === t.id ? errorFor.error : null} />
        ))}
      </ol>
    </section>
  );
}

export function Sources({ sources }: { sources: Source[] }) {
  return (
    <section aria-labelledby="can-cu">
      <h2 id="can-cu">Căn cứ</h2>
      <p className="muted">
        Các văn bản và trang chính thức làm căn cứ cho nội dung khóa học. Quy định có thể thay đổi; khi cần, hãy hỏi cơ quan có thẩm quyền.
      </p>
      <ul>
        {sources.map((s) => (
          <li key={s.title}>
            {s.url ? (
              <a href={s.url} rel="noopener">
                {s.title}
              </a>
            ) : (
              s.title
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
