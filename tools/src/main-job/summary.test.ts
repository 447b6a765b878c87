import type { GuardrailReport } from '@gitlab-aws/policy';
import { renderGuardrails, renderSummary, summaryFailed } from './summary';

const planned = { stack: 'dev-baseline', status: 'planned' as const, resources: 7, plan: { add: 7, change: 0, destroy: 0 }, initMs: 500, planMs: 2500 };
const gitlab = {
  stack: 'dev-gitlab',
  status: 'not-planned' as const,
  resources: 3,
  reason: 'provider not available offline: registry.terraform.io/gitlabhq/gitlab 18.6.1',
  missingProviders: ['registry.terraform.io/gitlabhq/gitlab'],
};

describe('main job summary', () => {
  it('shows one row per stack with resources, status and times, then totals and reasons', () => {
    const text = renderSummary([
      { environment: 'dev', synthMs: 1200, report: { outdir: '', providers: [], stacks: [planned, gitlab], wallMs: 3000 } },
      { environment: 'prod' },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^ENVIRONMENT\s+STACK\s+RESOURCES\s+PLAN\s+TO ADD\s+SYNTH\s+PLAN TIME$/);
    expect(lines[1]).toMatch(/^dev\s+dev-baseline\s+7\s+planned\s+7\s+1\.2s\s+3\.0s$/);
    expect(lines[2]).toMatch(/^\s+dev-gitlab\s+3\s+not planned\s+-/);
    expect(lines[3]).toMatch(/^prod\s+-\s+-\s+NO REPORT/);
    expect(text).toContain('2 environments, 2 stacks, 10 resources: 1 planned, 0 failed, 1 not planned');
    expect(text).toContain('- dev-gitlab: provider not available offline: registry.terraform.io/gitlabhq/gitlab 18.6.1');
    expect(text).toContain('- prod: synth or plan did not finish');
  });

  it('lists warnings the stacks raised at synth, which do not fail the run', () => {
    const results = [{ environment: 'devops', report: { outdir: '', providers: [], stacks: [planned], wallMs: 0 }, synthWarnings: [{ stack: 'devops-ci-identity', message: 'static access keys are on: prefer OIDC' }] }];
    expect(renderSummary(results)).toContain('- devops-ci-identity: warning: static access keys are on: prefer OIDC');
    expect(summaryFailed(results)).toBe(false);
  });

  it('fails on a failed stack, a missing report or an unplanned stack, except a GitLab-provider stack when allowed', () => {
    const report = (stacks: (typeof planned | typeof gitlab)[]) => ({ outdir: '', providers: [], stacks, wallMs: 0 });
    const allow = { allowGitlabNotPlanned: true };
    expect(summaryFailed([{ environment: 'dev', report: report([planned, gitlab]) }], allow)).toBe(false);
    expect(summaryFailed([{ environment: 'dev', report: report([planned, gitlab]) }])).toBe(true);
    const noTerraform = { ...gitlab, missingProviders: undefined, reason: 'no Terraform binary' } as never;
    expect(summaryFailed([{ environment: 'dev', report: report([planned, noTerraform]) }], allow)).toBe(true);
    const awsMissing = { ...gitlab, missingProviders: ['registry.terraform.io/hashicorp/aws', 'registry.terraform.io/gitlabhq/gitlab'] };
    expect(summaryFailed([{ environment: 'dev', report: report([planned, awsMissing]) }], allow)).toBe(true);
    expect(summaryFailed([{ environment: 'dev', report: report([]) }], allow)).toBe(true);
    expect(summaryFailed([{ environment: 'dev' }])).toBe(true);
    expect(summaryFailed([{ environment: 'dev', report: report([{ ...planned, status: 'failed' } as never]) }])).toBe(true);
  });
});

describe('main job guardrails table', () => {
  const finding = (severity: 'high' | 'medium' | 'low', suppressed?: string) => ({ severity, ...(suppressed ? { suppressed } : {}) });
  const stack = (name: string, monthly: number, findings: object[], unpriced: object[] = []) => ({ stack: name, findings, cost: { monthly, unpriced } });
  const guardrails = (stacks: object[], extra: object = {}) =>
    ({
      stacks,
      secrets: [],
      counts: { critical: 0, high: 0, medium: 1, low: 1, suppressed: 1 },
      monthlyCost: 1234.5,
      prices: { label: 'estimate', currency: 'USD', date: '2025-01' },
      failed: false,
      ...extra,
    }) as unknown as GuardrailReport;

  it('shows findings by severity and monthly cost per stack and per environment', () => {
    const text = renderGuardrails([
      {
        environment: 'prod',
        guardrails: guardrails([
          stack('prod-gitlab', 1200, [finding('medium'), finding('low'), finding('high', 'scratch disk')]),
          stack('prod-baseline', 34.5, [], [{ address: 'aws_msk_cluster.k', type: 'aws_msk_cluster', reason: 'no price rule' }]),
        ]),
      },
      { environment: 'dev' },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^ENVIRONMENT\s+STACK\s+CRITICAL\s+HIGH\s+MEDIUM\s+LOW\s+SUPPRESSED\s+SECRETS\s+MONTHLY COST$/);
    expect(lines[1]).toMatch(/^prod\s+prod-gitlab\s+0\s+0\s+1\s+1\s+1\s+0\s+\$1,200\.00$/);
    expect(lines[2]).toMatch(/^\s+prod-baseline\s+0\s+0\s+0\s+0\s+0\s+0\s+\$34\.50$/);
    expect(lines[3]).toMatch(/^\s+prod total\s+0\s+0\s+1\s+1\s+1\s+0\s+\$1,234\.50$/);
    expect(lines[4]).toMatch(/^dev\s+-/);
    expect(text).toContain('Monthly cost: estimate, on-demand list prices (2025-01, USD)');
    expect(text).toContain('- prod-baseline: not priced: aws_msk_cluster.k');
    expect(text).toContain('- dev: no guardrail report');
  });

  it('fails the job when an environment\'s guardrails failed', () => {
    const report = { outdir: '', providers: [], stacks: [planned], wallMs: 0 };
    expect(summaryFailed([{ environment: 'dev', report, guardrails: guardrails([], { failed: true }) }])).toBe(true);
    expect(summaryFailed([{ environment: 'dev', report, guardrails: guardrails([]) }])).toBe(false);
  });
});
