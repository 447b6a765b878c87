import { Testing } from 'cdktf';
import { TEST_SPOKE, testEnvironment, type EnvironmentConfig } from '@gitlab-aws/core';
import { ReferenceArchitectureStack, type ReferenceArchitectureStackProps } from '../reference-architecture-stack';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The ACM certificate every test environment's external load balancer ends TLS with. */
export const TEST_CERTIFICATE = 'arn:aws:acm:eu-west-1:222222222222:certificate/0b0e4f5c-1a2b-4c3d-8e9f-0123456789ab';

/** A spoke with a network and the given gitlab section (allowed CIDRs filled in unless given). */
export function gitlabEnvironment(gitlab: Record<string, unknown>, network: Record<string, unknown> = {}): EnvironmentConfig {
  return testEnvironment(TEST_SPOKE, {
    name: 'gl',
    network: { vpcCidr: '10.30.0.0/16', ...network },
    // allowSingleNodePraefectDatabase: most tests build the self-managed Praefect database node;
    // the refusal without it is tested on its own.
    gitlab: { externalUrl: 'https://gitlab.example.com', allowedCidrs: ['203.0.113.0/24'], domain: { certificateArn: TEST_CERTIFICATE }, allowSingleNodePraefectDatabase: true, ...gitlab },
    // Unprotected data is for throw-away environments only.
    ...(gitlab.protectData === false ? { guardrails: { production: false } } : {}),
  });
}

export interface Synthesized {
  readonly stack: ReferenceArchitectureStack;
  /** resource type -> name -> config. */
  readonly resources: Json;
}

export function synthGitlab(gitlab: Record<string, unknown>, network: Record<string, unknown> = {}, props: Partial<ReferenceArchitectureStackProps> = {}): Synthesized {
  const stack = new ReferenceArchitectureStack(Testing.app(), { environment: gitlabEnvironment(gitlab, network), ...props });
  return { stack, resources: JSON.parse(Testing.synth(stack)).resource };
}

export const all = (resources: Json, type: string): Json[] => Object.values(resources[type] ?? {});
export const entries = (resources: Json, type: string): [string, Json][] => Object.entries(resources[type] ?? {});
