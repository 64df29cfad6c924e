/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Transpile only (tsconfig has isolatedModules): type errors are caught by the tsc-based tests.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  reporters: ["default", "<rootDir>/test/results-reporter.js"],
  testTimeout: 60000,
};
