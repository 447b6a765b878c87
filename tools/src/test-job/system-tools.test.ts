import { ensureSystemTools, type SystemTool } from './system-tools';

const TOOL: SystemTool = { command: 'rsync', debianPackage: 'rsync', neededBy: 'job runs' };

function fakeMachine(installed: Set<string>, installable: boolean) {
  const calls: string[] = [];
  const run = (cmd: string, args: string[]) => {
    calls.push([cmd, ...args].join(' '));
    if (cmd === 'apt-get' && args[0] === 'install' && installable) args.filter((a) => !a.startsWith('-') && a !== 'install').forEach((p) => installed.add(p));
    return installed.has(cmd) || cmd === 'apt-get' ? { status: 0 } : { status: null, error: new Error('ENOENT') };
  };
  return { calls, run };
}

describe('ensureSystemTools', () => {
  it('does nothing when the tool is there', () => {
    const m = fakeMachine(new Set(['rsync']), true);
    expect(ensureSystemTools([TOOL], { run: m.run, isRoot: true, log: () => undefined })).toEqual([]);
    expect(m.calls).toEqual(['rsync --version']);
  });
  it('installs a missing tool as root with apt-get', () => {
    const m = fakeMachine(new Set(), true);
    const log: string[] = [];
    expect(ensureSystemTools([TOOL], { run: m.run, isRoot: true, log: (l) => log.push(l) })).toEqual([]);
    expect(m.calls).toContain('apt-get install -y -qq --no-install-recommends rsync');
    expect(log).toEqual(['installing rsync (needed by job runs)']);
  });
  it('never installs without root, and names the command to run', () => {
    const m = fakeMachine(new Set(), true);
    const log: string[] = [];
    expect(ensureSystemTools([TOOL], { run: m.run, isRoot: false, log: (l) => log.push(l) })).toEqual([TOOL]);
    expect(m.calls.some((c) => c.startsWith('apt-get install'))).toBe(false);
    expect(log).toEqual([expect.stringMatching(/^NOT EVALUATED without rsync: job runs\. Install it: apt-get install -y rsync/)]);
  });
  it('reports a tool still missing after a failed install', () => {
    const m = fakeMachine(new Set(), false);
    expect(ensureSystemTools([TOOL], { run: m.run, isRoot: true, log: () => undefined })).toEqual([TOOL]);
  });
});
