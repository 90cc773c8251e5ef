import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { mayManageAgency } from "~/accounts/permissions.server";
import { forbidden } from "~/ui/http.server";
import { agencyByCode } from "~/organisation/agencies.server";
import { canSee, requireReportAccess } from "~/reports/access.server";
import { AgencyRoster } from "~/reports/agency-roster-ui";
import { rosterCounts, rosterPage, ROSTER_FILTERS, type RosterFilter } from "~/reports/agency-roster.server";
import { TrendChart } from "~/reports/charts";
import { deadlineFor, officialsIndicator } from "~/reports/deadlines.server";
import { reportParams } from "~/reports/page-input.server";
import { gapWords, number, pct, PlaceReportHeader } from "~/reports/report-ui";
import { reportWithTrends } from "~/reports/report.server";
import { deliverDue, recentDeliveries } from "~/reminders/outbox.server";
import { remindersSentBy, remindOfficials } from "~/reminders/reminders.server";
import { formFields, readForm } from "~/ui/forms.server";
import { badRequest, notFound } from "~/ui/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.agency ?? "Cơ quan"} — Báo cáo — Học vụ số Tây Ninh` }];

function listQuery(url: URL) {
  const filterText = url.searchParams.get("loc") ?? "all";
  const filter = (ROSTER_FILTERS.find((f) => f.value === filterText)?.value ?? null) as RosterFilter | null;
  if (!filter) badRequest("Bộ lọc không hợp lệ.");
  const search = (url.searchParams.get("tim") ?? "").slice(0, 100);
  const pageText = url.searchParams.get("trang") ?? "1";
  if (!/^\d{1,5}$/.test(pageText) || Number(pageText) < 1) badRequest("Số trang không hợp lệ.");
  return { filter, search, page: Number(pageText) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scopes } = await requireReportAccess(request);
  const agency = (await agencyByCode(params.code ?? "")) ?? notFound("Không có cơ quan này.");
  if (!canSee(scopes, { kind: "agency", code: agency.code })) forbidden("Bạn chỉ xem được báo cáo của cơ quan mình phụ trách.");
  const url = new URL(request.url);
  const { period } = reportParams(request);
  const query = listQuery(url);
  const reports = (await reportWithTrends(period, { agency: agency.code })).filter((r) => r.population === "officials");
  const indicator = await officialsIndicator();
  const required = indicator?.courses ?? [];
  const deadline = indicator ? await deadlineFor(indicator, agency.code) : null;
  const canRemind = mayManageAgency(user, agency.code);
  return {
    agency: agency.name,
    code: agency.code,
    period: period.label,
    isProvince: scopes.some((s) => s.kind === "province"),
    items: reports.map((r) => ({ id: r.id, name: r.name, row: r.agencies[0], target: r.targetPercent, targetYear: r.targetYear, trend: r.trend })),
    counts: await rosterCounts(agency.code, required),
    deadline,
    required: required.length,
    query,
    list: await rosterPage(agency.code, required, deadline, query),
    canRemind,
    reminded: url.searchParams.get("da-nhac"),
    reminders: canRemind ? await remindersSentBy(agency.code, 10) : [],
    deliveries: canRemind ? await recentDeliveries(agency.code, 10) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireReportAccess(request);
  const agency = (await agencyByCode(params.code ?? "")) ?? notFound("Không có cơ quan này.");
  if (!mayManageAgency(user, agency.code)) forbidden("Chỉ cán bộ phụ trách đào tạo của cơ quan mới nhắc nhở được cán bộ của cơ quan.");
  const fields = formFields(await readForm(request));
  let who: string[] | "behind";
  if (fields.intent === "remind-all") who = "behind";
  else if (fields.intent === "remind-one" && /^[A-Za-z0-9_-]{1,40}$/.test(fields.person ?? "")) who = [fields.person];
  else badRequest("Yêu cầu nhắc nhở không hợp lệ.");
  const result = await remindOfficials(agency.code, who, user.id);
  // Deliver now without holding up the page; whatever fails stays in the outbox for `npm run reminders:deliver`.
  if (result.emailed) void deliverDue().catch(() => undefined);
  const back = new URL(request.url);
  back.searchParams.set("da-nhac", `${result.reminded}-${result.emailed}-${result.alreadyToday}`);
  throw redirect(`${back.pathname}${back.search}`);
}

export default function AgencyReport() {
  const data = useLoaderData<typeof loader>();
  const { agency, period, isProvince, items } = data;
  return (
    <>
      <PlaceReportHeader
        name={agency}
        period={period}
        isProvince={isProvince}
        csvUrl={`/bao-cao/tai-ve.csv?ky=${period}&co-quan=${data.code}`}
        csvLabel={"Tải số liệu của đơn vị (CSV)"}
      />
      {items.map((item) => (
        <section key={item.id} className="indicator-card" aria-label={item.name}>
          <h2>{item.name}</h2>
          <p className="big-number">{pct(item.row?.percent ?? null)}</p>
          <p>
            <strong>{number(item.row?.numerator ?? 0)}</strong> / {number(item.row?.denominator ?? 0)} cán bộ đang công tác · mục tiêu{" "}
            <strong>{pct(item.target)}</strong>
            {item.targetYear ? ` năm ${item.targetYear}` : ""}
            {item.row && item.row.gap !== null ? ` · ${gapWords(item.row, item.target)}` : ""}
          </p>
          <TrendChart title={`Diễn biến 12 tháng tại ${agency}`} points={item.trend} target={item.target} />
        </section>
      ))}
      <AgencyRoster {...data} />
    </>
  );
}
