/** vCPU, memory and CPU architecture of the machine types the sizes and overrides may use, known without asking AWS. */
export interface InstanceSpec {
  readonly vCpu: number;
  readonly memoryGiB: number;
  readonly arch: 'x86_64' | 'arm64';
}

const SIZES: Record<string, number> = { large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64 };
/** GiB of memory per vCPU by family letter (compute, general purpose, memory optimized). */
const MEMORY_PER_VCPU: Record<string, number> = { c: 2, m: 4, r: 8 };
const X86 = ['c5', 'c6i', 'c6a', 'c7i', 'c7a', 'm5', 'm6i', 'm6a', 'm7i', 'm7a', 'r5', 'r6i', 'r6a', 'r7i', 'r7a'];
/** Graviton equivalents. */
const ARM = ['c6g', 'c7g', 'c8g', 'm6g', 'm7g', 'm8g', 'r6g', 'r7g', 'r8g'];

function ec2Catalogue(): Record<string, InstanceSpec> {
  const out: Record<string, InstanceSpec> = {};
  for (const family of [...X86, ...ARM]) {
    for (const [size, vCpu] of Object.entries(SIZES)) {
      out[`${family}.${size}`] = { vCpu, memoryGiB: vCpu * MEMORY_PER_VCPU[family[0]], arch: ARM.includes(family) ? 'arm64' : 'x86_64' };
    }
  }
  // Network-optimized: the type GitLab's tables give for HAProxy load balancers.
  Object.assign(out, { 'c5n.large': { vCpu: 2, memoryGiB: 5.25, arch: 'x86_64' }, 'c5n.xlarge': { vCpu: 4, memoryGiB: 10.5, arch: 'x86_64' }, 'c5n.2xlarge': { vCpu: 8, memoryGiB: 21, arch: 'x86_64' } });
  // c5's 9xlarge (36 vCPU): the type GitLab's 10K-50K tables give for Rails.
  out['c5.9xlarge'] = { vCpu: 36, memoryGiB: 72, arch: 'x86_64' };
  return out;
}

/** RDS classes mirror the EC2 family of the same name. */
function rdsCatalogue(ec2: Record<string, InstanceSpec>): Record<string, InstanceSpec> {
  const families = ['m5', 'm6i', 'm6g', 'm7g', 'm7i', 'r5', 'r6i', 'r6g', 'r7g', 'r7i'];
  return Object.fromEntries(Object.entries(ec2).filter(([t]) => families.includes(t.split('.')[0])).map(([t, s]) => [`db.${t}`, s]));
}

/** ElastiCache node memory is what Redis can use, a little less than the EC2 equivalent's. */
const CACHE: Record<string, InstanceSpec> = {
  'cache.m5.large': { vCpu: 2, memoryGiB: 6.38, arch: 'x86_64' },
  'cache.m5.xlarge': { vCpu: 4, memoryGiB: 12.93, arch: 'x86_64' },
  'cache.m6g.large': { vCpu: 2, memoryGiB: 6.38, arch: 'arm64' },
  'cache.m6g.xlarge': { vCpu: 4, memoryGiB: 12.93, arch: 'arm64' },
  'cache.m7g.large': { vCpu: 2, memoryGiB: 6.38, arch: 'arm64' },
  'cache.m7g.xlarge': { vCpu: 4, memoryGiB: 12.93, arch: 'arm64' },
  'cache.r5.large': { vCpu: 2, memoryGiB: 13.07, arch: 'x86_64' },
  'cache.r5.xlarge': { vCpu: 4, memoryGiB: 26.32, arch: 'x86_64' },
  'cache.r6g.large': { vCpu: 2, memoryGiB: 13.07, arch: 'arm64' },
  'cache.r6g.xlarge': { vCpu: 4, memoryGiB: 26.32, arch: 'arm64' },
  'cache.r7g.large': { vCpu: 2, memoryGiB: 13.07, arch: 'arm64' },
  'cache.r7g.xlarge': { vCpu: 4, memoryGiB: 26.32, arch: 'arm64' },
};

const EC2 = ec2Catalogue();
export const INSTANCE_TYPES: Readonly<Record<string, InstanceSpec>> = { ...EC2, ...rdsCatalogue(EC2), ...CACHE };

/** The spec of a known type, or undefined. */
export function instanceSpec(type: string): InstanceSpec | undefined {
  return INSTANCE_TYPES[type];
}

/** Known types of one kind, for error messages: "ec2", "db" or "cache". */
export function knownFamilies(kind: 'ec2' | 'db' | 'cache'): string[] {
  const types = Object.keys(INSTANCE_TYPES).filter((t) => (kind === 'ec2' ? !/^(db|cache)\./.test(t) : t.startsWith(`${kind}.`)));
  return [...new Set(types.map((t) => t.split('.').slice(0, -1).join('.')))];
}
