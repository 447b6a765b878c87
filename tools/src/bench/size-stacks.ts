import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { isHaSize, TEST_SPOKE, testEnvironment, UNBUILT_SIZES, type GitLabSize } from '@gitlab-aws/core';
import { ReferenceArchitectureStack } from '@gitlab-aws/reference-architecture';
import { verifySynthOutput } from '../verify/verify';

export interface SizeStackTiming {
  readonly size: string;
  /** Why the size was not timed (sizes the project refuses), else undefined. */
  readonly notBuilt?: string;
  readonly synthMs?: number;
  readonly resources?: number;
  /** Terraform init and plan of the stack, offline (provider mirror), one at a time. */
  readonly initMs?: number;
  readonly planMs?: number;
  readonly status?: string;
}

/**
 * Synthesizes the gitlab stack of each size (GitLab's table, self-managed components) into a
 * temporary folder and plans it offline: the figures of the largest single stacks the project makes.
 */
export async function timeSizeStacks(sizes: readonly string[]): Promise<SizeStackTiming[]> {
  const out: SizeStackTiming[] = [];
  for (const size of sizes) {
    const notBuilt = UNBUILT_SIZES[size];
    if (notBuilt) {
      out.push({ size, notBuilt });
      continue;
    }
    const dir = mkdtempSync(join(tmpdir(), `bench-${size}-`));
    try {
      const environment = testEnvironment(TEST_SPOKE, {
        name: `bench-${size}`,
        network: { vpcCidr: '10.30.0.0/16' },
        gitlab: {
          size: size as GitLabSize,
          externalUrl: 'https://gitlab.example.com',
          allowedCidrs: ['203.0.113.0/24'],
          domain: { certificateArn: 'arn:aws:acm:eu-west-1:222222222222:certificate/0b0e4f5c-1a2b-4c3d-8e9f-0123456789ab' },
          // HA sizes need Praefect's database highly available; the others have no Praefect (1k refuses any managed component).
          ...(isHaSize(size as GitLabSize) ? { components: { praefectDatabase: 'managed' as const } } : {}),
        },
      });
      const t0 = Date.now();
      const app = new App({ outdir: join(dir, 'cdktf.out') });
      new ReferenceArchitectureStack(app, { environment });
      app.synth();
      const synthMs = Date.now() - t0;
      const r = await verifySynthOutput({ outdir: join(dir, 'cdktf.out'), concurrency: 1, workRoot: join(dir, 'verify') });
      const st = r.stacks[0];
      out.push({ size, synthMs, resources: st?.resources, initMs: st?.initMs, planMs: st?.planMs, status: st ? `${st.status}${st.reason ? `: ${st.reason}` : ''}` : 'no stack' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
