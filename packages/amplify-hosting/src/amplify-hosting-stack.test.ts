import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { TEST_HUB, TEST_SPOKE, loadEnvironmentFile, testEnvironment } from '@gitlab-aws/core';
import { AmplifyHostingStack } from './amplify-hosting-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REPO = 'https://gitlab.com/acme/web-shop';

function synth(amplify: Record<string, unknown>): Json {
  const stack = new AmplifyHostingStack(Testing.app(), { environment: testEnvironment(TEST_SPOKE, { amplify: { repository: REPO, ...amplify } }) });
  return JSON.parse(Testing.synth(stack));
}

const one = (r: Json, type: string): Json => Object.values(r.resource[type] ?? {})[0] as Json;
const workspace = join(__dirname, '..', '..', '..');

describe('AmplifyHostingStack', () => {
  it('maps develop to DEVELOPMENT in dev and main to PRODUCTION in prod (the example environment files)', () => {
    const stages = (name: string) => {
      const stack = new AmplifyHostingStack(Testing.app(), { environment: loadEnvironmentFile(join(workspace, 'environments', `${name}.json`)) });
      const json = JSON.parse(Testing.synth(stack));
      return Object.values(json.resource.aws_amplify_branch).map((b) => [(b as Json).branch_name, (b as Json).stage]);
    };
    expect(stages('dev')).toEqual([['develop', 'DEVELOPMENT']]);
    expect(stages('prod')).toEqual([['main', 'PRODUCTION']]);
  });

  it('builds any list of branches on push, with per-branch variables and stages', () => {
    const r = synth({
      branches: [
        { name: 'main', stage: 'PRODUCTION', environmentVariables: { VITE_STAGE: 'prod' } },
        { name: 'release/2.0', stage: 'BETA', autoBuild: false },
      ],
      environmentVariables: { VITE_API: 'x' },
    });
    const branches = r.resource.aws_amplify_branch;
    expect(branches['branch-main']).toMatchObject({ branch_name: 'main', stage: 'PRODUCTION', enable_auto_build: true, environment_variables: { VITE_STAGE: 'prod' } });
    expect(branches['branch-release-2-0']).toMatchObject({ branch_name: 'release/2.0', display_name: 'release-2-0', stage: 'BETA', enable_auto_build: false });
    const app = one(r, 'aws_amplify_app');
    expect(app.enable_branch_auto_build).toBe(true);
    expect(app.environment_variables).toEqual({ AMPLIFY_MONOREPO_APP_ROOT: 'apps/web', VITE_API: 'x' });
    expect(app.enable_auto_branch_creation).toBeUndefined();
  });

  it('creates preview branches for patterns, password-protected by default', () => {
    const app = one(synth({ branches: [{ name: 'develop', stage: 'DEVELOPMENT' }], autoBranchCreation: { patterns: ['feature/*'] } }), 'aws_amplify_app');
    expect(app).toMatchObject({ enable_auto_branch_creation: true, auto_branch_creation_patterns: ['feature/*'], enable_branch_auto_deletion: true });
    expect(app.auto_branch_creation_config).toMatchObject({ stage: 'DEVELOPMENT', enable_basic_auth: true, enable_auto_build: true });
    expect(app.auto_branch_creation_config.basic_auth_credentials).toBe('${var.amplify_basic_auth == null ? null : base64encode(var.amplify_basic_auth)}');
  });

  it('uses the Gen 2 build spec by default: backend pipeline-deploy, then the frontend build, artifacts and caches', () => {
    const spec = parse(one(synth({ branches: [{ name: 'main', stage: 'PRODUCTION' }] }), 'aws_amplify_app').build_spec);
    expect(spec.version).toBe(1);
    const [app] = spec.applications;
    expect(app.appRoot).toBe('apps/web');
    expect(app.backend.phases.build.commands).toEqual(['npm ci --cache .npm --prefer-offline', 'npx ampx pipeline-deploy --branch $AWS_BRANCH --app-id $AWS_APP_ID']);
    expect(app.frontend.phases.build.commands).toEqual(['npm run build']);
    // Both phases run on a Node that Vite supports (20.19+ or 22.12+): nvm installs the newest 22.x.
    expect(app.backend.phases.preBuild.commands).toEqual(['nvm install 22']);
    expect(app.frontend.phases.preBuild.commands).toEqual(['nvm install 22']);
    expect(app.frontend.artifacts).toEqual({ baseDirectory: 'dist', files: ['**/*'] });
    expect(app.frontend.cache.paths).toEqual(['.npm/**/*', 'node_modules/**/*']);
    // Amplify runs the backend phase first: it writes amplify_outputs.json that the frontend reads.
    expect(Object.keys(app)).toEqual(['appRoot', 'backend', 'frontend']);
  });

  it('writes a single-app build spec when the app is the repository root, and takes an override verbatim', () => {
    const root = parse(one(synth({ appRoot: '.', artifactsDirectory: 'build', branches: [{ name: 'main', stage: 'PRODUCTION' }] }), 'aws_amplify_app').build_spec);
    expect(root.applications).toBeUndefined();
    expect(root.backend.phases.build.commands[1]).toBe('npx ampx pipeline-deploy --branch $AWS_BRANCH --app-id $AWS_APP_ID');
    expect(root.frontend.artifacts.baseDirectory).toBe('build');
    const custom = 'version: 1\nfrontend:\n  phases:\n    build:\n      commands:\n        - make site\n';
    const app = one(synth({ buildSpec: custom, appRoot: '.', branches: [{ name: 'main', stage: 'PRODUCTION' }] }), 'aws_amplify_app');
    expect(app.build_spec).toBe(custom);
    expect(app.environment_variables).toEqual({});
  });

  it('never puts the GitLab token or basic-auth credentials in the synthesized JSON', () => {
    process.env.TF_VAR_gitlab_oauth_token = 'glpat-should-never-appear';
    process.env.TF_VAR_amplify_basic_auth = 'preview:should-never-appear';
    try {
      const r = synth({ branches: [{ name: 'develop', stage: 'DEVELOPMENT', basicAuth: true }] });
      const text = JSON.stringify(r);
      expect(text).not.toContain('should-never-appear');
      const app = one(r, 'aws_amplify_app');
      expect(app.oauth_token).toBe('${var.gitlab_oauth_token}');
      expect(app.access_token).toBeUndefined();
      expect(r.variable.gitlab_oauth_token).toMatchObject({ type: 'string', sensitive: true, nullable: true, default: null });
      expect(r.variable.amplify_basic_auth).toMatchObject({ sensitive: true, default: null });
      expect(r.variable.gitlab_oauth_token.description).toContain('/dev/amplify/gitlab-token');
      expect(Object.values(r.output).map((o) => (o as Json).value).join(' ')).not.toContain('var.');
    } finally {
      delete process.env.TF_VAR_gitlab_oauth_token;
      delete process.env.TF_VAR_amplify_basic_auth;
    }
  });

  it('requires the secrets at apply only: plans run without them', () => {
    const r = synth({ branches: [{ name: 'develop', stage: 'DEVELOPMENT', basicAuth: true }, { name: 'main', stage: 'PRODUCTION' }] });
    const [tokenCheck] = one(r, 'aws_amplify_app').lifecycle.precondition;
    expect(tokenCheck.condition).toBe('${var.gitlab_oauth_token != null || timestamp() == ""}');
    expect(tokenCheck.error_message).toContain('export TF_VAR_gitlab_oauth_token from the SSM SecureString /dev/amplify/gitlab-token');
    const branches = r.resource.aws_amplify_branch;
    expect(branches['branch-develop'].lifecycle.precondition[0].condition).toBe('${var.amplify_basic_auth != null || timestamp() == ""}');
    expect(branches['branch-main'].enable_basic_auth).toBe(false);
    expect(branches['branch-main'].basic_auth_credentials).toBeUndefined();
  });

  it('declares no basic-auth variable when no branch uses it', () => {
    expect(synth({ branches: [{ name: 'main', stage: 'PRODUCTION' }] }).variable.amplify_basic_auth).toBeUndefined();
  });

  it('gives the service role the AmplifyBackendDeployFullAccess managed policy and nothing else', () => {
    const r = synth({ branches: [{ name: 'main', stage: 'PRODUCTION' }] });
    expect(one(r, 'aws_iam_role_policy_attachments_exclusive').policy_arns).toEqual(['arn:aws:iam::aws:policy/service-role/AmplifyBackendDeployFullAccess']);
    expect(one(r, 'aws_iam_role_policies_exclusive').policy_names).toEqual([]);
    expect(r.resource.aws_iam_role_policy).toBeUndefined();
    expect(r.resource.aws_iam_role_policy_attachment).toBeUndefined();
    const trust = JSON.parse(one(r, 'aws_iam_role').assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'amplify.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': 'arn:aws:amplify:eu-west-1:222222222222:apps/*' } },
      }),
    ]);
    expect(one(r, 'aws_amplify_app').iam_service_role_arn).toBe('${aws_iam_role.service-role.arn}');
  });

  it('rewrites single-page routes to index.html on WEB, not on WEB_COMPUTE', () => {
    const web = one(synth({ branches: [{ name: 'main', stage: 'PRODUCTION' }] }), 'aws_amplify_app');
    expect(web.platform).toBe('WEB');
    expect(web.custom_rule).toEqual([expect.objectContaining({ target: '/index.html', status: '200' })]);
    expect(web.custom_rule[0].source).toMatch(/^<\/.*\/>$/);
    const ssr = one(synth({ platform: 'WEB_COMPUTE', artifactsDirectory: '.next', branches: [{ name: 'main', stage: 'PRODUCTION' }] }), 'aws_amplify_app');
    expect(ssr.platform).toBe('WEB_COMPUTE');
    expect(ssr.custom_rule).toBeUndefined();
    expect(one(synth({ spaRewrites: false, branches: [{ name: 'main', stage: 'PRODUCTION' }] }), 'aws_amplify_app').custom_rule).toBeUndefined();
  });

  it('serves branches under a custom domain with a subdomain each', () => {
    const r = synth({
      branches: [
        { name: 'main', stage: 'PRODUCTION', domainPrefix: '' },
        { name: 'develop', stage: 'DEVELOPMENT', domainPrefix: 'dev' },
        { name: 'experiment', stage: 'EXPERIMENTAL' },
      ],
      customDomain: { domainName: 'example.com' },
    });
    expect(one(r, 'aws_amplify_domain_association')).toMatchObject({
      domain_name: 'example.com',
      wait_for_verification: false,
      enable_auto_sub_domain: false,
      sub_domain: [
        { branch_name: '${aws_amplify_branch.branch-main.branch_name}', prefix: '' },
        { branch_name: '${aws_amplify_branch.branch-develop.branch_name}', prefix: 'dev' },
      ],
    });
    expect(r.output.main_url.value).toBe('https://example.com');
    expect(r.output.develop_url.value).toBe('https://dev.example.com');
    expect(r.output.experiment_url.value).toBe('https://experiment.${aws_amplify_app.app.default_domain}');
  });

  it('outputs the app ID, the default domain and every branch URL', () => {
    const r = synth({ branches: [{ name: 'main', stage: 'PRODUCTION' }, { name: 'feature/Login', stage: 'EXPERIMENTAL' }] });
    expect(r.output).toEqual({
      app_id: { value: '${aws_amplify_app.app.id}', description: 'Amplify app ID of dev' },
      default_domain: { value: '${aws_amplify_app.app.default_domain}', description: 'Amplify default domain of dev' },
      main_url: { value: 'https://main.${aws_amplify_app.app.default_domain}', description: 'main (PRODUCTION)' },
      feature_login_url: { value: 'https://feature-login.${aws_amplify_app.app.default_domain}', description: 'feature/Login (EXPERIMENTAL)' },
    });
    expect(r.resource.aws_amplify_branch['branch-feature-login'].display_name).toBe('feature-login');
  });

  it('refuses an environment without an amplify section, naming the file to fix', () => {
    expect(() => new AmplifyHostingStack(Testing.app(), { environment: testEnvironment(TEST_HUB) })).toThrow(
      'AmplifyHostingStack: environment "devops" has no "amplify" section: add one to environments/devops.json (spoke environments only)',
    );
  });
});

describe('AmplifyHostingStack state', () => {
  it('keeps its state (oauth_token, basic-auth credentials) under <env>/secrets/, which the plan role cannot read', () => {
    expect(synth({ branches: [{ name: 'main', stage: 'PRODUCTION' }] }).terraform.backend.s3.key).toBe('dev/secrets/dev-amplify.tfstate');
  });
});
