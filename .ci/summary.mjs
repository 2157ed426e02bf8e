// Sums the Vitest JSON reports (reports/vitest*.json in every package and app) into one line:
// "N passed, N failed, N skipped". Exits 1 when a test failed, a suite failed to load, or no test ran.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = 0;
const files = [];
for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(group)) {
    const dir = join(group, name, "reports");
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) if (/^vitest.*\.json$/.test(file)) files.push(join(dir, file));
  }
}
for (const file of files) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  // A test file that fails to load counts as a failed suite but may hold no failed test.
  broken += report.testResults.filter((r) => r.status === "failed" && r.assertionResults.every((a) => a.status !== "failed")).length;
}
console.log(`reports: ${files.length} (${files.join(", ")})`);
if (broken > 0) console.log(`suites that failed to run: ${broken}`);
console.log(`${passed} passed, ${failed + broken} failed, ${skipped} skipped`);
process.exit(failed + broken > 0 || passed === 0 ? 1 : 0);
