import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRICE_TABLE } from '@gitlab-aws/policy';
import { SIZES } from '@gitlab-aws/reference-architecture';
import { sizeCostMarkdown, sizeCosts } from './size-costs';

describe('monthly estimate per size and path', () => {
  const costs = sizeCosts();
  const of = (size: string, path = 'linux-package') => costs.find((c) => c.size === size && c.path === path)!;

  it('prices every size, and a hybrid line wherever GitLab publishes a hybrid table', () => {
    expect(costs.filter((c) => c.path === 'linux-package').map((c) => c.size)).toEqual(Object.keys(SIZES));
    expect(costs.filter((c) => c.path === 'cloud-native-hybrid').map((c) => c.size)).toEqual(['2k', '3k', '5k', '10k', '25k', '50k']);
  });

  it('grows with the size, and counts the nodes of the tables (10K+: the Redis cache cluster too)', () => {
    const order = ['2k', '3k', '5k', '10k', '25k', '50k'].map((s) => of(s).monthly);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect([of('3k').nodes, of('5k').nodes, of('10k').nodes, of('50k').nodes]).toEqual([25, 25, 30, 39]);
    expect(costs.every((c) => c.built)).toBe(true);
  });

  it("adds up GitLab's 2K from the price table by hand", () => {
    const p = PRICE_TABLE.regions['us-east-1'];
    const h = PRICE_TABLE.hoursPerMonth;
    const root = 50 * p.ebs.gp3.gbMonth;
    const gitalyDisk = 500 * p.ebs.gp3.gbMonth + 5000 * p.ebs.gp3.iopsMonth! + 375 * p.ebs.gp3.throughputMbpsMonth!;
    const nodes = (2 * p.ec2['c5.2xlarge'] + 2 * p.ec2['m5.large'] + 2 * p.ec2['m5.xlarge'] + p.ec2['c5.large']) * h + 7 * root;
    const disks = gitalyDisk + 200 * p.ebs.gp3.gbMonth + 50 * p.ebs.gp3.gbMonth + 100 * p.ebs.gp3.gbMonth;
    expect(of('2k').monthly).toBe(Math.round(nodes + disks + 2 * p.natGatewayHour * h + p.nlbHour * h));
  });

  it("adds up GitLab's 1K (one all-in-one node, one NAT gateway, the external NLB) by hand", () => {
    const p = PRICE_TABLE.regions['us-east-1'];
    const h = PRICE_TABLE.hoursPerMonth;
    const dataDisk = 500 * p.ebs.gp3.gbMonth + 5000 * p.ebs.gp3.iopsMonth! + 375 * p.ebs.gp3.throughputMbpsMonth!;
    expect(of('1k')).toMatchObject({ nodes: 1, built: true, monthly: Math.round(p.ec2['c5.2xlarge'] * h + 50 * p.ebs.gp3.gbMonth + dataDisk + p.natGatewayHour * h + p.nlbHour * h) });
    expect(sizeCostMarkdown()).toContain('| 1k | $381 (1 node) | no GitLab table |');
  });

  it('refuses to price a type the table lacks, rather than count it as free', () => {
    const table = { ...PRICE_TABLE, regions: { 'us-east-1': { ...PRICE_TABLE.regions['us-east-1'], ec2: {} } } };
    expect(() => sizeCosts('us-east-1', table)).toThrow(/instance type .* is not in the price table/);
  });

  it('is the table docs/reference-architectures.md shows', () => {
    const docs = readFileSync(join(__dirname, '../../../docs/reference-architectures.md'), 'utf8');
    expect(docs).toContain(sizeCostMarkdown());
  });
});
