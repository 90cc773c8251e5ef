import { describe, expect, it } from "vitest";
import {
  daysUntil,
  formatVietnamDate,
  isoWeek,
  lastDayOfMonth,
  vietnamDate,
  vietnamDateTime,
  vietnamMonth,
  vietnamSpreadsheetDateTime,
} from "~/ui/vietnam-time";

// Expected values written by hand from a calendar: Vietnam is UTC+7 all year.

describe("Vietnam time", () => {
  it("a time late in the UTC evening is already the next day, month and year in Vietnam", () => {
    expect(vietnamDate("2026-02-28T17:30:00.000Z")).toBe("2026-03-01");
    expect(vietnamMonth("2026-02-28T17:30:00.000Z")).toBe("2026-03");
    expect(vietnamMonth("2025-12-31T17:00:00.000Z")).toBe("2026-01");
    expect(vietnamMonth("2025-12-31T16:59:59.000Z")).toBe("2025-12");
    expect(vietnamDate(new Date("2026-06-30T16:59:00.000Z"))).toBe("2026-06-30");
  });

  it("pages show day first with the Vietnam clock, spreadsheets an ISO date and time", () => {
    expect(vietnamDateTime("2026-03-05T07:30:00.000Z")).toBe("05/03/2026 14:30");
    expect(vietnamDateTime("2026-03-04T20:05:00.000Z")).toBe("05/03/2026 03:05");
    expect(vietnamSpreadsheetDateTime("2026-03-04T20:05:00.000Z")).toBe("2026-03-05 03:05");
    expect(formatVietnamDate("2026-06-30")).toBe("30/06/2026");
  });

  it("days left, month ends and ISO weeks", () => {
    expect(daysUntil("2026-06-30", "2026-06-30")).toBe(0);
    expect(daysUntil("2026-06-30", "2026-06-01")).toBe(29);
    expect(daysUntil("2026-06-30", "2026-07-02")).toBe(-2);
    expect(lastDayOfMonth("2026-02")).toBe("2026-02-28");
    expect(lastDayOfMonth("2028-02")).toBe("2028-02-29");
    expect(lastDayOfMonth("2026-12")).toBe("2026-12-31");
    expect(isoWeek("2026-12-01")).toBe("2026-W49");
    expect(isoWeek("2027-01-01")).toBe("2026-W53");
    expect(isoWeek("2026-01-01")).toBe("2026-W01");
    expect(isoWeek("2025-12-29")).toBe("2026-W01");
  });
});
