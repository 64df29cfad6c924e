// Writes jest's aggregated results (the same object `--json` prints) to .jest-results.json,
// so .ci/run can report counts while running exactly `npm test`.
const { writeFileSync } = require("node:fs");
const path = require("node:path");

class ResultsReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTests, numFailedTestSuites, numRuntimeErrorTestSuites, success } = results;
    writeFileSync(
      path.join(__dirname, "..", ".jest-results.json"),
      JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numTotalTests, numFailedTestSuites, numRuntimeErrorTestSuites, success }, null, 2) + "\n",
    );
  }
}
module.exports = ResultsReporter;
