import { z } from "zod";

// zod's default messages are English ("Invalid input: expected string, received undefined"), and its own
// Vietnamese locale still names types ("mong đợi string, nhận được undefined"). A person only ever needs to
// know which field to fix and how, so every schema without a message of its own gets one of these plain
// sentences. Messages written on a schema still win (decision 012).

type Issue = z.core.$ZodRawIssue;

function tooLong(issue: Issue & { code: "too_big" }): string {
  const max = Number(issue.maximum);
  if (issue.origin === "string") return `Nội dung quá dài: tối đa ${max} ký tự.`;
  if (issue.origin === "array" || issue.origin === "set") return `Chọn quá nhiều: tối đa ${max} mục.`;
  return `Số quá lớn: tối đa là ${max}.`;
}

function tooShort(issue: Issue & { code: "too_small" }): string {
  const min = Number(issue.minimum);
  if (issue.origin === "string") return min <= 1 ? "Vui lòng điền mục này." : `Cần ít nhất ${min} ký tự.`;
  if (issue.origin === "array" || issue.origin === "set") return min <= 1 ? "Vui lòng chọn ít nhất một mục." : `Cần chọn ít nhất ${min} mục.`;
  return `Số quá nhỏ: ít nhất là ${min}.`;
}

export function vietnameseMessage(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null || issue.input === "") return "Vui lòng điền mục này.";
      return issue.expected === "number" || issue.expected === "int" ? "Vui lòng nhập một số." : "Giá trị ở mục này không hợp lệ.";
    case "too_big":
      return tooLong(issue);
    case "too_small":
      return tooShort(issue);
    case "invalid_value":
      return "Vui lòng chọn một giá trị trong danh sách.";
    case "invalid_format":
      return "Giá trị ở mục này không đúng dạng. Vui lòng kiểm tra lại.";
    case "not_multiple_of":
      return "Vui lòng nhập một số tròn.";
    default:
      return "Giá trị ở mục này không hợp lệ.";
  }
}

/**
 * Makes these the messages of every schema. Called at the top of the modules every action goes through; a
 * bare side-effect import would not do, as package.json declares no side effects and the build drops it.
 */
export function useVietnameseMessages() {
  z.config({ customError: vietnameseMessage });
}
