import type { TrafficType } from '@gitlab-aws/core/src/gitlab/target-rates';

/** What the endpoints need from the target GitLab, found by setup() through the API. */
export interface TestData {
  readonly projectId: number;
  readonly projectPath: string;
  readonly groupId: number;
  readonly groupPath: string;
  readonly branch: string;
  readonly filePath: string;
  readonly commitSha: string;
  readonly parentSha: string;
  readonly mergeRequestIid: number;
  readonly issueIid: number;
}

/** One HTTP request of an endpoint, relative to the GitLab base URL. */
export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path and query, starting with "/". */
  readonly path: string;
  /** "api": PRIVATE-TOKEN header; "git": HTTP Basic with the token; "none": anonymous (web pages). */
  readonly auth: 'api' | 'git' | 'none';
  readonly body?: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
  /** Status codes that count as success. Default: 200 and 201 (as GPT counts them). */
  readonly expect?: readonly number[];
  /** Text the response body must contain to count as success (e.g. a push's "ok refs/..."). */
  readonly bodyIncludes?: string;
}

/** Helpers the request builders need from the runtime (k6/crypto in k6, node:crypto in tests). */
export interface RequestHelpers {
  sha1Hex(bytes: Uint8Array): string;
  /** A value unique to this iteration, for names that writes create. */
  unique(): string;
}

/** An endpoint of the catalog: one operation, measured and judged on its own. */
export interface Endpoint {
  /** Tag value and report name, e.g. "api_project". */
  readonly name: string;
  readonly traffic: TrafficType;
  readonly title: string;
  /** Time-to-first-byte p90 limit in ms (GPT's values as a guide). */
  readonly ttfbP90Ms: number;
  /** Relative share of its traffic type's rate in mixed mode. */
  readonly weight: number;
  /** Fraction of the traffic type's rate this endpoint runs at in per-endpoint mode. Default: 1. */
  readonly rateFactor?: number;
  /** Creates data on the server: runs only with the unsafe-writes flag. */
  readonly write: boolean;
  requests(data: TestData, helpers: RequestHelpers): RequestSpec[];
}
