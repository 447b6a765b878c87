// A recording stand-in for kubectl, for the test that runs the k6-operator commands of
// docs/load-tests.md without a cluster. It keeps what is applied in $KUBECTL_STAND_IN_STATE and
// plays the operator's part: `get pods -l runner=true -o name` lists the TestRun's N runners, and
// `logs` prints what a runner prints, by running the bundle from the applied ConfigMap with the
// runner's environment in the k6 stand-in. Secrets are recorded by name only.
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runK6StandIn } from './k6-stand-in';

interface TestRun {
  metadata: { name: string };
  spec: { parallelism: number; runner: { env: Array<{ name: string; value?: string }> } };
}

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

export function runKubectlStandIn(argv: readonly string[], state: string, stdout: (text: string) => void): number {
  mkdirSync(state, { recursive: true });
  appendFileSync(join(state, 'calls.log'), `${JSON.stringify(argv.map((a) => a.replace(/^--from-literal=(\w+)=.*$/, '--from-literal=$1=<redacted>')))}\n`);
  const applied = () => readdirSync(state).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(join(state, f), 'utf8')) as Record<string, unknown>);
  const [verb, ...rest] = argv;
  if (verb === 'create' && rest[0] === 'secret') {
    stdout(`secret/${rest[2]} created\n`);
    return 0;
  }
  if (verb === 'apply') {
    const dir = option(argv, '-f')!;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      writeFileSync(join(state, f), readFileSync(join(dir, f)));
      const doc = parse(readFileSync(join(dir, f), 'utf8')) as { kind: string; metadata: { name: string } };
      stdout(`${doc.kind.toLowerCase()}/${doc.metadata.name} created\n`);
    }
    return 0;
  }
  const testRun = applied().find((d) => d.kind === 'TestRun') as TestRun | undefined;
  if (verb === 'get' && rest[0] === 'pods') {
    if (testRun) for (let i = 1; i <= testRun.spec.parallelism; i++) stdout(`pod/${testRun.metadata.name}-${i}\n`);
    return 0;
  }
  if (verb === 'logs') {
    const configMap = applied().find((d) => d.kind === 'ConfigMap') as { data: Record<string, string> } | undefined;
    if (!testRun || !configMap) {
      process.stderr.write('kubectl stand-in: nothing applied\n');
      return 1;
    }
    // The runner's mount at /test becomes a temporary folder.
    const mount = mkdtempSync(join(tmpdir(), 'k6-runner-'));
    for (const [name, text] of Object.entries(configMap.data)) writeFileSync(join(mount, name), text);
    const env: NodeJS.ProcessEnv = { GITLAB_TOKEN: 'from-the-secret' };
    for (const e of testRun.spec.runner.env) if (e.value !== undefined) env[e.name] = e.value.replace(/^\/test\//, `${mount}/`);
    env.LOAD_TEST_REPORT_DIR = mount;
    return runK6StandIn(['run', join(mount, 'suite.js')], env, stdout);
  }
  process.stderr.write(`kubectl stand-in: "${argv.join(' ')}" is not supported\n`);
  return 1;
}

if (require.main === module) process.exitCode = runKubectlStandIn(process.argv.slice(2), process.env.KUBECTL_STAND_IN_STATE ?? join(tmpdir(), 'kubectl-stand-in'), (t) => process.stdout.write(t));
