/**
 * Node major the Amplify build uses. Vite 7 needs Node 20.19+ or 22.12+, and Amplify's image may
 * default to an older Node, so the build installs this line with nvm (latest 22.x) before anything runs.
 */
export const AMPLIFY_NODE_MAJOR = 22;

/** What the default build spec needs to know about the app. */
export interface BuildSpecOptions {
  /** Folder of the Gen 2 app in the repository ("." when it is the repository root). */
  readonly appRoot: string;
  /** Folder under appRoot that holds the built frontend. */
  readonly artifactsDirectory: string;
}

/**
 * The Gen 2 build spec: the backend phase installs the app's dependencies and deploys the backend
 * of the branch being built (`ampx pipeline-deploy` writes amplify_outputs.json), then the frontend
 * phase builds against those outputs, so backend and frontend always come from the same commit.
 * In a monorepo the app is declared under `applications` with its `appRoot`; `npm ci` run there
 * installs only that npm workspace.
 */
export function defaultBuildSpec(options: BuildSpecOptions): string {
  const app = [
    'backend:',
    '  phases:',
    '    preBuild:',
    '      commands:',
    `        - nvm install ${AMPLIFY_NODE_MAJOR}`,
    '    build:',
    '      commands:',
    '        - npm ci --cache .npm --prefer-offline',
    '        - npx ampx pipeline-deploy --branch $AWS_BRANCH --app-id $AWS_APP_ID',
    'frontend:',
    '  phases:',
    '    preBuild:',
    '      commands:',
    `        - nvm install ${AMPLIFY_NODE_MAJOR}`,
    '    build:',
    '      commands:',
    '        - npm run build',
    '  artifacts:',
    `    baseDirectory: ${options.artifactsDirectory}`,
    '    files:',
    "      - '**/*'",
    '  cache:',
    '    paths:',
    "      - '.npm/**/*'",
    "      - 'node_modules/**/*'",
  ];
  if (options.appRoot === '.') return ['version: 1', ...app, ''].join('\n');
  return ['version: 1', 'applications:', `  - appRoot: ${options.appRoot}`, ...app.map((line) => `    ${line}`), ''].join('\n');
}
