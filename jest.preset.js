// Shared jest settings: TypeScript through ts-jest without type-checking (the build target
// type-checks), tests beside the code they test.
/** @param {string} dir project folder */
module.exports = (dir, overrides = {}) => ({
  rootDir: dir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/cdktf.out/', '/.verify/'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  ...overrides,
});
