// npm run reports:check   — recompute every indicator from raw data and compare with the stored counts
// npm run reports:rebuild — replace the stored counts by the recomputation (then check again)
import { compareCounts, rebuildCounts } from "../app/reports/indicators.server";

const rebuild = process.argv.includes("--rebuild");
if (rebuild) {
  await rebuildCounts();
  console.log("Đã tính lại toàn bộ số liệu chỉ tiêu từ dữ liệu gốc.");
}
const differences = await compareCounts();
if (differences.length) {
  for (const d of differences.slice(0, 200)) console.error(`${d.indicator} ${d.key}: lưu ${d.stored}, tính lại ${d.computed}`);
  console.error(`${differences.length} chỗ khác nhau. Chạy npm run reports:rebuild để sửa.`);
  process.exit(1);
}
console.log("Số liệu chỉ tiêu khớp với dữ liệu gốc: 0 chỗ khác nhau.");
