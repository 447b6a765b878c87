import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyPack, pktLine, receivePackRequest, uploadPackRequest, ZERO_SHA } from './git-protocol';

const sha1Hex = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('git smart-HTTP bodies', () => {
  it('frames pkt-lines with their length in hex, the 4 length bytes included', () => {
    expect(pktLine('done\n')).toBe('0009done\n');
    expect(pktLine('')).toBe('0004');
  });

  it('asks for one commit, given its parent', () => {
    const body = uploadPackRequest(A, B);
    expect(body.startsWith(`${(5 + 41 + 'multi_ack_detailed side-band-64k thin-pack ofs-delta agent=gitlab-aws-load-tests\n'.length + 4).toString(16).padStart(4, '0')}want ${A} `)).toBe(true);
    expect(body.endsWith(`0000${pktLine(`have ${B}\n`)}0009done\n`)).toBe(true);
  });

  it('builds an empty pack that git itself accepts', () => {
    const pack = emptyPack(sha1Hex);
    expect(Buffer.from(pack.subarray(0, 12)).toString('hex')).toBe('5041434b0000000200000000');
    expect(pack).toHaveLength(32);
    const git = spawnSync('git', ['--version']);
    if (git.status !== 0) return; // git is optional on build machines; the header check above still holds
    const dir = mkdtempSync(join(tmpdir(), 'pack-'));
    expect(spawnSync('git', ['init', '-q', dir]).status).toBe(0);
    const check = spawnSync('git', ['index-pack', '--stdin', join(dir, 'x.pack')], { input: Buffer.from(pack), cwd: dir, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(check.stdout.trim()).toMatch(/^pack\t[0-9a-f]{40}$/);
  });

  it('pushes a branch creation with an empty pack and a deletion without one', () => {
    const create = Buffer.from(receivePackRequest([{ oldSha: ZERO_SHA, newSha: A, ref: 'refs/heads/x' }], sha1Hex)).toString('latin1');
    expect(create).toContain(`${ZERO_SHA} ${A} refs/heads/x\0report-status delete-refs`);
    expect(create).toContain('0000PACK');
    const del = Buffer.from(receivePackRequest([{ oldSha: A, newSha: ZERO_SHA, ref: 'refs/heads/x' }], sha1Hex)).toString('latin1');
    expect(del.endsWith('0000')).toBe(true);
    expect(del).not.toContain('PACK');
  });
});
