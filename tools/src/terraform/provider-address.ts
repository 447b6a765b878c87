/** A provider as Terraform installs it: host/namespace/type at a version for a platform. */
export interface ProviderAddress {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
}

/** Normalizes a `required_providers` source ("aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws"). */
export function parseProviderSource(source: string): ProviderAddress {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return { host: 'registry.terraform.io', namespace: 'hashicorp', type: parts[0] };
  if (parts.length === 2) return { host: 'registry.terraform.io', namespace: parts[0], type: parts[1] };
  if (parts.length === 3) return { host: parts[0], namespace: parts[1], type: parts[2] };
  throw new Error(`not a provider source address: "${source}"`);
}

export function providerKey(p: ProviderAddress): string {
  return `${p.host}/${p.namespace}/${p.type}`;
}

/** Terraform's name for this machine's platform, e.g. linux_amd64. */
export function currentPlatform(): string {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${process.platform}_${arch[process.arch] ?? process.arch}`;
}
