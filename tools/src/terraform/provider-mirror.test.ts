import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverMirroredProviders, indexMirror, mirrorCandidates } from './provider-mirror';

function fakeMirror(): string {
  const root = mkdtempSync(join(tmpdir(), 'mirror-'));
  const unpacked = join(root, 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64');
  mkdirSync(unpacked, { recursive: true });
  writeFileSync(join(unpacked, 'terraform-provider-aws_v5.100.0_x5'), '');
  const packedDir = join(root, 'registry.terraform.io/gitlabhq/gitlab');
  mkdirSync(packedDir, { recursive: true });
  writeFileSync(join(packedDir, 'terraform-provider-gitlab_18.6.1_linux_amd64.zip'), '');
  // A build for another platform and an empty version folder are not offered.
  mkdirSync(join(root, 'registry.terraform.io/hashicorp/aws/5.99.0/darwin_arm64'), { recursive: true });
  mkdirSync(join(root, 'registry.terraform.io/hashicorp/random/3.6.0/linux_amd64'), { recursive: true });
  return root;
}

describe('provider mirrors', () => {
  it('indexes unpacked and packed layouts for the platform', () => {
    const root = fakeMirror();
    const found = indexMirror(root, 'linux_amd64').map((p) => `${p.namespace}/${p.type}@${p.version} ${p.layout}`);
    expect(found.sort()).toEqual(['gitlabhq/gitlab@18.6.1 packed', 'hashicorp/aws@5.100.0 unpacked']);
  });

  it('takes TF_PROVIDER_MIRROR first, then the CLI config, then the implied folders', () => {
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    const config = join(home, 'custom.tfrc');
    writeFileSync(config, 'provider_installation {\n  filesystem_mirror {\n    path = "/srv/mirror"\n  }\n}\n');
    const candidates = mirrorCandidates({ HOME: home, TF_PROVIDER_MIRROR: '/a:/b', TF_CLI_CONFIG_FILE: config, XDG_DATA_DIRS: '/usr/share' });
    expect(candidates.slice(0, 3)).toEqual(['/a', '/b', '/srv/mirror']);
    expect(candidates).toContain(join(home, '.terraform.d/plugins'));
    expect(candidates).toContain('/usr/share/terraform/plugins');
  });

  it('finds providers through the environment variable', () => {
    const root = fakeMirror();
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    const found = discoverMirroredProviders({ HOME: home, TF_PROVIDER_MIRROR: root, XDG_DATA_DIRS: '/nonexistent' });
    expect(found.map((p) => `${p.type}@${p.version}`)).toEqual(expect.arrayContaining(['aws@5.100.0']));
    expect(found.every((p) => p.mirror === root)).toBe(true);
  });
});
