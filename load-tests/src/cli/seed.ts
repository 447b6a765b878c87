import { ENV_VARS } from '../lib/config';
import { parseArgs, runCli, UsageError } from './args';
import { loadSuiteEnvironment, WORKSPACE_ROOT } from './environment';

export const SEED_USAGE = `usage: nx run load-tests:seed -- --environment <name>
  Creates (through the API, with GITLAB_TOKEN) what the suite needs when it is missing: the group,
  a public project with a README, a second commit, a merge request and an issue. It writes to
  GitLab, so it is a separate command; the load test itself never seeds.`;

export type Api = (method: 'GET' | 'POST', path: string, body?: object) => Promise<{ status: number; json: unknown }>;

const enc = encodeURIComponent;
const BRANCH = 'load-test-seed';

/** Makes the project usable by the suite; returns what it did (nothing when all is there). */
export async function seedTestProject(api: Api, target: { projectPath: string; groupPath: string }): Promise<string[]> {
  const done: string[] = [];
  const must = (res: { status: number; json: unknown }, what: string) => {
    if (res.status !== 200 && res.status !== 201) throw new Error(`${what} failed (${res.status}): ${JSON.stringify(res.json)}`);
    return res.json as Record<string, unknown>;
  };

  let group = await api('GET', `/api/v4/groups/${enc(target.groupPath)}`);
  if (group.status === 404) {
    const cut = target.groupPath.lastIndexOf('/');
    const parentPath = cut > 0 ? target.groupPath.slice(0, cut) : undefined;
    const parent = parentPath ? must(await api('GET', `/api/v4/groups/${enc(parentPath)}`), `reading parent group ${parentPath}`) : undefined;
    const path = target.groupPath.slice(cut + 1);
    group = { status: 201, json: must(await api('POST', '/api/v4/groups', { name: path, path, visibility: 'public', ...(parent ? { parent_id: parent.id } : {}) }), `creating group ${target.groupPath}`) };
    done.push(`created group ${target.groupPath}`);
  }
  const groupId = must(group, `reading group ${target.groupPath}`).id;

  let project = await api('GET', `/api/v4/projects/${enc(target.projectPath)}`);
  if (project.status === 404) {
    const path = target.projectPath.slice(target.projectPath.lastIndexOf('/') + 1);
    project = { status: 201, json: must(await api('POST', '/api/v4/projects', { name: path, path, namespace_id: groupId, visibility: 'public', initialize_with_readme: true }), `creating project ${target.projectPath}`) };
    done.push(`created project ${target.projectPath}`);
  }
  const p = must(project, `reading project ${target.projectPath}`) as { id: number; default_branch?: string };
  const base = `/api/v4/projects/${p.id}`;
  const branch = p.default_branch || 'main';
  const commitFile = (onBranch: string, file: string) =>
    api('POST', `${base}/repository/commits`, { branch: onBranch, commit_message: `load test seed: ${file}`, actions: [{ action: 'create', file_path: file, content: `Seeded for the load tests.\n` }] });

  const head = await api('GET', `${base}/repository/commits/${enc(branch)}`);
  const parents = (head.json as { parent_ids?: string[] } | null)?.parent_ids ?? [];
  if (head.status !== 200 || parents.length === 0) {
    must(await commitFile(branch, `load-test/seed-${Date.now()}.md`), 'adding a second commit');
    done.push(`added a commit on ${branch}`);
  }

  const mrs = await api('GET', `${base}/merge_requests?state=all&per_page=1`);
  if (!Array.isArray(mrs.json) || mrs.json.length === 0) {
    const existing = await api('GET', `${base}/repository/branches/${enc(BRANCH)}`);
    if (existing.status === 404) must(await api('POST', `${base}/repository/branches`, { branch: BRANCH, ref: branch }), `creating branch ${BRANCH}`);
    must(await commitFile(BRANCH, `load-test/mr-${Date.now()}.md`), `committing on ${BRANCH}`);
    must(await api('POST', `${base}/merge_requests`, { source_branch: BRANCH, target_branch: branch, title: 'Load test seed' }), 'creating a merge request');
    done.push('created a merge request');
  }

  const issues = await api('GET', `${base}/issues?state=all&per_page=1`);
  if (!Array.isArray(issues.json) || issues.json.length === 0) {
    must(await api('POST', `${base}/issues`, { title: 'Load test seed', description: 'Seeded for the load tests.' }), 'creating an issue');
    done.push('created an issue');
  }
  return done;
}

/** An Api over fetch, with the token in the PRIVATE-TOKEN header. */
export function fetchApi(baseUrl: string, token: string): Api {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'PRIVATE-TOKEN': token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'manual',
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };
}

export async function seedMain(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, log: (line: string) => void, root = WORKSPACE_ROOT): Promise<number> {
  const { options, positionals } = parseArgs(argv);
  const name = options.environment ?? positionals[0];
  if (!name) throw new UsageError('--environment is required');
  const token = env[ENV_VARS.token];
  if (!token) throw new UsageError(`${ENV_VARS.token} is not set: export a personal access token with the api scope`);
  const { config } = loadSuiteEnvironment(name, { [ENV_VARS.baseUrl]: env[ENV_VARS.baseUrl] }, root);
  const done = await seedTestProject(fetchApi(config.baseUrl, token), config);
  log(done.length ? done.map((d) => `- ${d}`).join('\n') : `${config.projectPath} already has what the suite needs`);
  return 0;
}

if (require.main === module) runCli(() => seedMain(process.argv.slice(2), process.env, (l) => process.stdout.write(`${l}\n`)), SEED_USAGE);
