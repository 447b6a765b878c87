import type { EnvironmentInput } from '@gitlab-aws/core';

/** Files of a new environment, keyed by path relative to the workspace root. */
export type GeneratedFiles = Record<string, string>;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The environment app: cdktf.json, an Nx project, a tsconfig and a short main.ts. */
export function environmentAppFiles(env: Pick<EnvironmentInput, 'name' | 'kind'>): GeneratedFiles {
  const dir = `apps/${env.name}`;
  return {
    [`${dir}/cdktf.json`]: json({
      language: 'typescript',
      app: 'npx tsx main.ts',
      output: 'cdktf.out',
      sendCrashReports: 'false',
      terraformProviders: [],
      terraformModules: [],
      context: {},
    }),
    [`${dir}/project.json`]: json({
      name: env.name,
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      projectType: 'application',
      sourceRoot: dir,
      tags: ['type:environment', `kind:${env.kind}`],
      // What makes this app affected besides its code and the packages it imports.
      namedInputs: { environmentFile: [`{workspaceRoot}/environments/${env.name}.json`] },
      targets: { synth: {}, plan: {}, deploy: {}, typecheck: {}, lint: {} },
    }),
    [`${dir}/tsconfig.json`]: json({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true }, include: ['main.ts'] }),
    [`${dir}/main.ts`]: mainTs(env),
  };
}

function mainTs(env: Pick<EnvironmentInput, 'name' | 'kind'>): string {
  return env.kind === 'hub' ? hubMainTs(env.name) : spokeMainTs(env.name);
}

function spokeMainTs(name: string): string {
  return `// The ${name} environment (spoke): its stacks, configured by environments/${name}.json.
import { AccountBaselineStack } from '@gitlab-aws/account-baseline';
import { synthEnvironmentApp } from '@gitlab-aws/core';
import { SpokeRolesStack } from '@gitlab-aws/spoke-roles';

synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../../environments/${name}.json',
  compose: (app, environment) => {
    new SpokeRolesStack(app, { environment });
    new AccountBaselineStack(app, { environment });
  },
});
`;
}

function hubMainTs(name: string): string {
  return `// The ${name} environment (hub): its stacks, configured by environments/${name}.json.
import { AccountBaselineStack } from '@gitlab-aws/account-baseline';
import { synthEnvironmentApp } from '@gitlab-aws/core';
import { GitLabCiStack, HubIdentityStack, TerraformStateStack } from '@gitlab-aws/hub-account';

synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../../environments/${name}.json',
  compose: (app, environment) => {
    // The pipeline identity, state bucket and GitLab wiring need the file's "identity" section.
    if (environment.kind === 'hub' && environment.identity) {
      const identityStack = new HubIdentityStack(app, { environment });
      new TerraformStateStack(app, { environment, identityStack });
      new GitLabCiStack(app, { environment, identityStack });
    }
    new AccountBaselineStack(app, { environment });
  },
});
`;
}
