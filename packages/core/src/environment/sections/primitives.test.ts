import { accountId, cidr, environmentName, iamRoleName, region, tagMap } from './primitives';

type Issue = { message: string; issues?: Issue[] };

/** The messages zod reports for a value (a record key's own issues, not zod's wrapper), or [] when it is valid. */
function messages(schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: Issue[] } } }, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error!.issues.flatMap((i) => (i.issues?.length ? i.issues.map((x) => x.message) : [i.message]));
}

describe('environment names', () => {
  it.each(['ab', 'a1', 'dev', 'prod-eu-1', `a${'b'.repeat(22)}c`])('accepts "%s"', (name) => {
    expect(messages(environmentName, name)).toEqual([]);
  });

  it.each(['a', '1dev', '-dev', 'dev-', 'Dev', 'dev_1', `a${'b'.repeat(23)}c`, ' dev', 'dev ', 'dev.x'])('refuses "%s"', (name) => {
    expect(messages(environmentName, name)).toEqual(['expected 2-24 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. "staging")']);
  });
});

describe('account IDs', () => {
  it('are exactly 12 digits', () => {
    expect(messages(accountId, '012345678901')).toEqual([]);
    for (const bad of ['12345678901', '1234567890123', 'x12345678901', '12345678901x', '1234 5678901']) {
      expect(messages(accountId, bad)).toEqual(['expected a 12-digit AWS account ID in quotes (e.g. "123456789012")']);
    }
  });
});

describe('regions', () => {
  it('accepts commercial, GovCloud and China regions, and names the bad value', () => {
    for (const r of ['eu-west-1', 'us-gov-west-1', 'cn-north-1']) expect(messages(region, r)).toEqual([]);
    expect(messages(region, 'eu-west-9')).toEqual(['expected an AWS region code such as "eu-west-1" or "us-east-1", got "eu-west-9"']);
    expect(messages(region, 5)).toEqual(['expected an AWS region code such as "eu-west-1" or "us-east-1", got 5']);
  });
});

describe('IAM role names', () => {
  it('are 1-64 characters of letters, digits and +=,.@_-', () => {
    expect(messages(iamRoleName, 'x')).toEqual([]);
    expect(messages(iamRoleName, `ci+=,.@_-${'r'.repeat(55)}`)).toEqual([]);
    for (const bad of ['', 'r'.repeat(65), 'deploy role', 'path/role', 'role:x']) {
      expect(messages(iamRoleName, bad)).toEqual(['expected an IAM role name: 1-64 characters of letters, digits and + = , . @ _ -']);
    }
  });
});

describe('CIDR blocks', () => {
  it.each(['0.0.0.0/0', '10.0.0.0/8', '10.20.0.0/16', '192.168.1.64/26', '255.255.255.255/32', '10.0.0.1/32', '172.16.0.0/12', '100.64.0.0/10', '10.1.2.0/24'])('accepts %s', (block) => {
    expect(messages(cidr, block)).toEqual([]);
  });

  // One message only: the host-bits check is not run on a malformed block.
  it.each(['10.0.0.0', '10.0.0/16', '256.0.0.0/8', '10.0.0.0/33', '10.0.0.0/-1', ' 10.0.0.0/8', '10.0.0.0/8 ', '10.0.0.00/8', '01.0.0.0/8', 'a.b.c.d/8', '10.0.0.0/016'])('refuses the malformed %s', (block) => {
    expect(messages(cidr, block)).toEqual(['expected an IPv4 CIDR block such as "10.20.0.0/16"']);
  });

  it.each<[string, string]>([
    ['10.20.1.0/16', '10.20.0.0/16'],
    ['192.168.1.77/26', '192.168.1.64/26'],
    ['1.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.1/31', '10.0.0.0/31'],
    ['172.31.255.255/12', '172.16.0.0/12'],
    ['255.255.255.255/1', '128.0.0.0/1'],
  ])('refuses %s, which has host bits, suggesting %s', (block, network) => {
    expect(messages(cidr, block)).toEqual([`expected the network address of the block (host bits zero), e.g. "${network}"`]);
  });
});

describe('tags', () => {
  it('accept keys of 1-128 characters and values of up to 256', () => {
    expect(messages(tagMap, { ['k'.repeat(128)]: 'v'.repeat(256), CostCenter: '', 'team:aws': 'x' })).toEqual([]);
  });

  it('refuse empty or long keys, long values and the aws: prefix in any case', () => {
    expect(messages(tagMap, { ['k'.repeat(129)]: 'x' })).toEqual(['tag keys are at most 128 characters']);
    expect(messages(tagMap, { k: 'v'.repeat(257) })).toEqual(['tag values are at most 256 characters']);
    expect(messages(tagMap, { 'AWS:Cost': 'x' })).toEqual(['tag keys may not start with "aws:" (reserved by AWS)']);
    expect(messages(tagMap, { '': 'x' })).toHaveLength(1);
  });
});
