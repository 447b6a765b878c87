// Shared jest settings: TypeScript through ts-jest, transpiled file by file (isolatedModules in
// tsconfig.base.json; the typecheck target checks types), tests beside the code they test.
/** @param {string} dir project folder */
module.exports = (dir, overrides = {}) => ({
  rootDir: dir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/cdktf.out/', '/.verify/'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  ...overrides,
});
