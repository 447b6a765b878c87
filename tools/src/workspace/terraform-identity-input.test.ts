import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from './root';

// The plan cache must miss when the Terraform binary changes. nx.json names the binary by a shell
// command (Nx runs it for every plan task, so it reads the file's listing instead of running
// Terraform); this runs that command as Nx would, with the binaries the verifier would choose.
describe("the plan target's Terraform input", () => {
  const nx = JSON.parse(readFileSync(join(workspaceRoot(), 'nx.json'), 'utf8')) as { targetDefaults: { plan: { inputs: unknown[] } } };
  const inputs = nx.targetDefaults.plan.inputs;
  const command = (inputs.find((i) => typeof i === 'object' && i !== null && 'runtime' in i) as { runtime: string }).runtime;
  const dir = mkdtempSync(join(tmpdir(), 'tf-identity-'));
  const fake = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, body);
    chmodSync(file, 0o755);
    return file;
  };
  const run = (env: Record<string, string>) => spawnSync('/bin/sh', ['-c', command], { env, encoding: 'utf8' }).stdout.trim();
  const terraform = fake('terraform', '#!/bin/sh\n# one build\n');
  const tofuDir = mkdtempSync(join(tmpdir(), 'tofu-'));
  writeFileSync(join(tofuDir, 'tofu'), '#!/bin/sh\n');
  chmodSync(join(tofuDir, 'tofu'), 0o755);

  it('is hashed with TERRAFORM_BINARY, which chooses the binary', () => {
    expect(inputs).toContainEqual({ env: 'TERRAFORM_BINARY' });
  });

  it('names the terraform on PATH, and changes when that file changes', () => {
    const before = run({ PATH: `${dir}:/usr/bin:/bin` });
    expect(before).toContain(terraform);
    writeFileSync(terraform, '#!/bin/sh\n# another build, longer\n');
    expect(run({ PATH: `${dir}:/usr/bin:/bin` })).not.toEqual(before);
  });

  it('prefers TERRAFORM_BINARY, then terraform, then tofu', () => {
    const other = fake('terraform-1.9', '#!/bin/sh\n');
    expect(run({ PATH: `${dir}:${tofuDir}:/usr/bin:/bin`, TERRAFORM_BINARY: other })).toContain(other);
    expect(run({ PATH: `${tofuDir}:/usr/bin:/bin` })).toContain(join(tofuDir, 'tofu'));
  });

  it('says so when there is no binary, and skips a TERRAFORM_BINARY that is not executable', () => {
    expect(run({ PATH: '/nonexistent' })).toBe('no-terraform');
    expect(run({ PATH: `${dir}:/usr/bin:/bin`, TERRAFORM_BINARY: join(dir, 'missing') })).toContain(terraform);
  });
});
