import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ENV_VARS } from '../lib/config';
import { buildPlan } from '../lib/plan';
import { DEFAULT_RPS_PER_RUNNER, runnerCount } from '../lib/runner-count';
import { parseArgs, runCli, secondsOption, UsageError } from './args';
import { buildBundlesSync } from './build';
import { loadSuiteEnvironment, WORKSPACE_ROOT } from './environment';

export const OPERATOR_USAGE = `usage: nx run load-tests:operator --environment <name> [--parallelism <N> | --rps-per-runner <R, default ${DEFAULT_RPS_PER_RUNNER}>]
         [--mode mixed|per-endpoint] [--duration <s>] [--node-pool <pool label>]
         [--namespace <ns, default load-tests>] [--token-secret <secret, default gitlab-load-test-token>]
         [--image <k6 image, default grafana/k6:1.0.0>] [--out <folder, default reports/k6-operator/<env>>]
  Writes a ConfigMap (bundle + environment file) and a k6-operator TestRun splitting the load over N runners
  (N from --parallelism, else the size's total rate / --rps-per-runner, rounded up).`;

/** Kubernetes limits a ConfigMap to 1 MiB. */
const CONFIGMAP_LIMIT = 1024 * 1024;
const MOUNT = '/test';

export interface OperatorInput {
  readonly name: string;
  readonly parallelism: number;
  readonly namespace: string;
  readonly tokenSecret: string;
  readonly image: string;
  readonly bundle: string;
  readonly environmentText: string;
  readonly overrides: Readonly<Record<string, string | undefined>>;
  /** Node pool (value of the gitlab.com/node-pool label, tainted NoSchedule) the runners run on. Default: any node. */
  readonly nodePool?: string;
}

/** The label and taint key of the hybrid cluster's node pools (packages/cloud-native-hybrid). */
export const NODE_POOL_LABEL = 'gitlab.com/node-pool';

/** The two manifests: the script ConfigMap and the TestRun that mounts it at /test on every runner. */
export function operatorManifests(i: OperatorInput): { configMap: object; testRun: object } {
  const base = `gitlab-load-${i.name}`.slice(0, 50);
  const size = Buffer.byteLength(i.bundle) + Buffer.byteLength(i.environmentText);
  if (size > CONFIGMAP_LIMIT) throw new Error(`bundle and environment file are ${size} bytes, above the 1 MiB ConfigMap limit`);
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${base}-script`, namespace: i.namespace, labels: { 'app.kubernetes.io/part-of': 'gitlab-aws-load-tests' } },
    data: { 'suite.js': i.bundle, 'environment.json': i.environmentText },
  };
  const env = [
    { name: ENV_VARS.environmentFile, value: `${MOUNT}/environment.json` },
    { name: ENV_VARS.parallelism, value: String(i.parallelism) },
    // Runners share no disk: each prints its summary between markers for the merge command.
    { name: ENV_VARS.summaryToStdout, value: 'true' },
    { name: ENV_VARS.reportDir, value: '/tmp' },
    ...Object.entries(i.overrides)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([name, value]) => ({ name, value })),
    // The token comes from a Secret, never from the manifest.
    { name: ENV_VARS.token, valueFrom: { secretKeyRef: { name: i.tokenSecret, key: 'token' } } },
  ];
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: base, namespace: i.namespace },
    spec: {
      parallelism: i.parallelism,
      script: { configMap: { name: `${base}-script`, file: 'suite.js' } },
      runner: {
        image: i.image,
        env,
        resources: { requests: { cpu: '1', memory: '1Gi' } },
        // On a pool of their own, tainted so GitLab's pods never land there and it scales to zero when idle.
        ...(i.nodePool
          ? { nodeSelector: { [NODE_POOL_LABEL]: i.nodePool }, tolerations: [{ key: NODE_POOL_LABEL, operator: 'Equal', value: i.nodePool, effect: 'NoSchedule' }] }
          : {}),
      },
    },
  };
  return { configMap, testRun };
}

/** `bundle` is the built suite's path, or a function that builds it (the default builds the current sources). */
export function operatorMain(argv: readonly string[], log: (line: string) => void, root = WORKSPACE_ROOT, bundle: string | (() => string) = () => buildBundlesSync().suite): number {
  const { options, positionals } = parseArgs(argv);
  const name = options.environment ?? positionals[0];
  if (!name) throw new UsageError('--environment is required');
  if (options['node-pool'] !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(options['node-pool'])) throw new UsageError(`--node-pool ${options['node-pool']}: expected a node-pool label value such as "load-test"`);
  if (options.parallelism !== undefined && options['rps-per-runner'] !== undefined) throw new UsageError('give --parallelism or --rps-per-runner, not both');
  const overrides = { [ENV_VARS.mode]: options.mode, [ENV_VARS.holdSeconds]: secondsOption(options, 'duration'), [ENV_VARS.baseUrl]: options.url };
  let parallelism: number;
  let why: string;
  if (options.parallelism !== undefined) {
    parallelism = Number(options.parallelism);
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new UsageError('--parallelism must be a whole number of runners, at least 1');
    why = 'set by --parallelism';
  } else {
    const perRunner = options['rps-per-runner'] === undefined ? DEFAULT_RPS_PER_RUNNER : Number(options['rps-per-runner']);
    if (!(perRunner > 0) || !Number.isFinite(perRunner)) throw new UsageError('--rps-per-runner must be a positive number of requests per second');
    const total = buildPlan(loadSuiteEnvironment(name, overrides, root).config).traffic.reduce((sum, t) => sum + t.targetRps, 0);
    parallelism = runnerCount(total, perRunner);
    why = `${Math.round(total * 100) / 100} RPS in all at ${perRunner} RPS per runner${options['rps-per-runner'] === undefined ? ' (the default; measure yours and pass --rps-per-runner)' : ''}`;
  }
  const { text, config } = loadSuiteEnvironment(name, { ...overrides, [ENV_VARS.parallelism]: String(parallelism) }, root);
  const plan = buildPlan(config);
  const { configMap, testRun } = operatorManifests({
    name,
    parallelism,
    namespace: options.namespace ?? 'load-tests',
    tokenSecret: options['token-secret'] ?? 'gitlab-load-test-token',
    image: options.image ?? 'grafana/k6:1.0.0',
    bundle: readFileSync(typeof bundle === 'string' ? bundle : bundle(), 'utf8'),
    environmentText: text,
    overrides,
    nodePool: options['node-pool'],
  });
  const out = options.out ?? join(root, 'reports', 'k6-operator', name);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'configmap.yaml'), stringify(configMap, { lineWidth: 0 }));
  writeFileSync(join(out, 'testrun.yaml'), stringify(testRun, { lineWidth: 0 }));
  log(`wrote ${out}/configmap.yaml and testrun.yaml: ${plan.size} ${plan.mode} over ${parallelism} runners [${why}] (each ${plan.traffic.map((t) => `${t.type} ${Math.round((t.targetRps / parallelism) * 100) / 100}`).join(', ')} RPS)`);
  log(`apply: kubectl create secret generic ${options['token-secret'] ?? 'gitlab-load-test-token'} -n ${options.namespace ?? 'load-tests'} --from-literal=token=$GITLAB_TOKEN; kubectl apply -f ${out}`);
  return 0;
}

if (require.main === module) runCli(() => operatorMain(process.argv.slice(2), (l) => process.stdout.write(`${l}\n`)), OPERATOR_USAGE);
