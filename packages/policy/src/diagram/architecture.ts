import { accountOf, identityPolicies, trustPolicies } from '../iam-policy';
import { blocks, bool, isObject, num, strings, ResourceIndex, stackContext, type TerraformJson, type TfResource } from '../terraform-json';

/** A synthesized stack as the diagram needs it. */
export interface DiagramStack {
  readonly name: string;
  readonly json: TerraformJson;
}

interface Node {
  readonly id: string;
  readonly label: string;
  /** Subgraph the node sits in ('' = top level). */
  readonly parent: string;
  readonly shape?: 'db' | 'bucket' | 'role' | 'external';
}

interface Group {
  readonly id: string;
  readonly label: string;
  readonly parent: string;
  /** Lay the members out side by side (a row) instead of Mermaid's default single column. */
  readonly row?: boolean;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly dashed?: boolean;
}

const safeId = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
const text = (s: string) => s.replace(/"/g, '#quot;').replace(/[<>]/g, '');
const literal = (v: unknown) => (typeof v === 'string' && !v.includes('${') ? v : undefined);

/** The name a node role goes by: its Role tag, its Name tag, or the construct's own id. */
function roleName(r: TfResource): string {
  const tags = isObject(r.values.tags) ? r.values.tags : {};
  const fromTags = literal(tags.Role) ?? literal(tags.role) ?? literal(tags.Name);
  if (fromTags) return fromTags;
  const parts = r.path.split('/');
  return parts.length > 2 ? parts[parts.length - 2] : parts[parts.length - 1];
}

const ROLE_ARN = /arn:[a-z-]+:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+/g;

/** A role the provider assumes, and whether for deploys or for read-only plans. */
interface AssumedRole {
  readonly arn: string;
  readonly purpose: 'deploy' | 'plan';
}

/**
 * The roles in an assume_role role_arn. A conditional on the pipeline role
 * (`var.pipeline_role == "plan" ? "<plan role>" : "<deploy role>"`) names the plan role in its
 * "plan" branch; every other ARN is one the provider deploys with.
 */
function assumedRoles(roleArn: string): AssumedRole[] {
  const conditional = /==\s*"plan"\s*\?\s*"([^"]+)"\s*:\s*"([^"]+)"/.exec(roleArn);
  if (conditional) return [...(conditional[1].match(ROLE_ARN) ?? []).map((arn) => ({ arn, purpose: 'plan' as const })), ...(conditional[2].match(ROLE_ARN) ?? []).map((arn) => ({ arn, purpose: 'deploy' as const }))];
  return (roleArn.match(ROLE_ARN) ?? []).map((arn) => ({ arn, purpose: 'deploy' as const }));
}

function awsProvider(json: TerraformJson): { account?: string; region?: string; assumes: AssumedRole[] } {
  const aws = json.provider?.aws;
  const main = (Array.isArray(aws) ? aws : aws ? [aws] : []).find((p) => isObject(p) && p.alias === undefined);
  if (!isObject(main)) return { assumes: [] };
  const assumes = blocks(main.assume_role).flatMap((a) => (typeof a.role_arn === 'string' ? assumedRoles(a.role_arn) : []));
  return { account: strings(main.allowed_account_ids)[0], region: literal(main.region), assumes: assumes.filter((a, i) => assumes.findIndex((b) => b.arn === a.arn) === i) };
}

/**
 * A Mermaid flowchart of one environment from its synthesized stacks: accounts, VPCs and their
 * availability zones, node roles with counts, load balancers, managed services, buckets, and the
 * trust edges found in IAM policies (who may assume which role, hub to spoke and OIDC to hub).
 */
export function architectureDiagram(environment: string, stacks: readonly DiagramStack[]): string {
  const groups = new Map<string, Group>();
  const nodes = new Map<string, Node>();
  const edges: Edge[] = [];
  const roleNodes = new Map<string, string>(); // role ARN or name -> node id
  const addNode = (n: Node) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  const edge = (e: Edge) => {
    if (!edges.some((x) => x.from === e.from && x.to === e.to && x.label === e.label)) edges.push(e);
  };
  const external = (arn: string) => {
    const local = roleNodes.get(arn);
    const account = accountOf(arn);
    const name = arn.split('/').pop() ?? arn;
    if (local) return addNode({ id: local, label: `role ${name}`, parent: safeId(`acct_${account ?? 'unknown'}`), shape: 'role' });
    // A role in one of the environment's own accounts sits in that account's box.
    const own = account !== undefined && ownAccounts.has(account);
    return addNode({ id: safeId(`ext_${arn}`), label: `role ${name}${own ? '' : ` · account ${account ?? '?'}`}`, parent: own ? safeId(`acct_${account}`) : '', shape: own ? 'role' : 'external' });
  };

  // First pass: roles by ARN, so trust edges between stacks of the environment land on the same node.
  const indexed = stacks.map((s) => ({ stack: s, index: new ResourceIndex(s.json), provider: awsProvider(s.json) }));
  const ownAccounts = new Set(indexed.map((i) => i.provider.account).filter((a): a is string => a !== undefined));
  for (const { index, provider } of indexed) {
    for (const role of index.ofType('aws_iam_role')) {
      const name = literal(role.values.name);
      const id = safeId(`role_${provider.account ?? 'x'}_${name ?? role.address}`);
      roleNodes.set(role.address, id);
      if (name && provider.account) roleNodes.set(`arn:aws:iam::${provider.account}:role/${name}`, id);
    }
  }

  for (const { stack, index, provider } of indexed) {
    const account = provider.account ?? 'unknown';
    const acct = safeId(`acct_${account}`);
    const env = stackContext(stack.json).environment ?? environment;
    if (!groups.has(acct)) groups.set(acct, { id: acct, label: `AWS account ${account} · ${env}${provider.region ? ` · ${provider.region}` : ''}`, parent: '' });

    // VPCs and their zones.
    const vpcGroup = new Map<string, string>();
    for (const vpc of index.ofType('aws_vpc')) {
      const id = safeId(`vpc_${stack.name}_${vpc.name}`);
      groups.set(id, { id, label: `VPC ${literal(vpc.values.cidr_block) ?? ''}`.trim(), parent: acct });
      vpcGroup.set(vpc.address, id);
    }
    const subnetZone = new Map<string, { vpc: string; az: string }>();
    const zoneSubnets = new Map<string, { group: string; tiers: Map<string, string[]> }>();
    for (const s of index.ofType('aws_subnet')) {
      const vpc = index.referenced(s.values.vpc_id).find((r) => r.type === 'aws_vpc');
      const az = literal(s.values.availability_zone) ?? '?';
      const vpcId = vpc ? vpcGroup.get(vpc.address) : undefined;
      if (!vpcId) continue;
      subnetZone.set(s.address, { vpc: vpcId, az });
      const key = `${vpcId}_${az}`;
      if (!zoneSubnets.has(key)) {
        const group = safeId(`az_${key}`);
        groups.set(group, { id: group, label: az, parent: vpcId, row: true });
        zoneSubnets.set(key, { group, tiers: new Map() });
      }
      const tags = isObject(s.values.tags) ? s.values.tags : {};
      const tier = literal(tags.Tier) ?? (bool(s.values.map_public_ip_on_launch) ? 'public' : 'subnet');
      const z = zoneSubnets.get(key)!;
      z.tiers.set(tier, [...(z.tiers.get(tier) ?? []), literal(s.values.cidr_block) ?? '?']);
    }
    for (const z of zoneSubnets.values()) {
      for (const [tier, cidrs] of z.tiers) addNode({ id: safeId(`${z.group}_${tier}`), label: `${tier} ${cidrs.join(', ')}`, parent: z.group });
    }
    for (const nat of index.ofType('aws_nat_gateway')) {
      const place = index.referenced(nat.values.subnet_id).map((s) => subnetZone.get(s.address)).find(Boolean);
      addNode({ id: safeId(`nat_${stack.name}_${nat.name}`), label: 'NAT gateway', parent: place ? safeId(`az_${place.vpc}_${place.az}`) : acct });
    }
    // Servers sit in a box per subnet tier of their VPC ("private subnets", ...), laid out in a row,
    // so a large topology (3K: 28 nodes) reads by tier instead of as one long column.
    const placeIn = (subnetValues: unknown): { parent: string; azs: string[] } => {
      const subnets = index.referenced(subnetValues).filter((s) => subnetZone.has(s.address));
      const zones = subnets.map((s) => subnetZone.get(s.address)!);
      const vpc = zones[0]?.vpc;
      if (!vpc) return { parent: acct, azs: [] };
      const tierTags = subnets.map((s) => (isObject(s.values.tags) ? literal(s.values.tags.Tier) : undefined));
      const tier = tierTags.every((t) => t && t === tierTags[0]) ? tierTags[0]! : 'mixed';
      const group = safeId(`tier_${vpc}_${tier}`);
      if (!groups.has(group)) groups.set(group, { id: group, label: `${tier} subnets`, parent: vpc, row: true });
      return { parent: group, azs: [...new Set(zones.map((z) => z.az))].sort() };
    };
    const where = (azs: string[]) => (azs.length ? ` · ${azs.join(', ')}` : '');

    // Node roles: instances grouped by role, autoscaling groups one by one.
    const targets = new Map<string, string>(); // instance/ASG address -> node id
    const roles = new Map<string, { count: number; types: Set<string>; parent: string; azs: Set<string>; members: string[] }>();
    for (const inst of index.ofType('aws_instance')) {
      const role = roleName(inst);
      const place = placeIn(inst.values.subnet_id);
      const entry = roles.get(role) ?? { count: 0, types: new Set<string>(), parent: place.parent, azs: new Set<string>(), members: [] };
      entry.count += num(inst.values.count) ?? 1;
      entry.types.add(literal(inst.values.instance_type) ?? '?');
      place.azs.forEach((az) => entry.azs.add(az));
      entry.members.push(inst.address);
      roles.set(role, entry);
    }
    for (const [role, e] of roles) {
      const id = addNode({ id: safeId(`nodes_${stack.name}_${role}`), label: `${role} · ${e.count} x ${[...e.types].join('/')}${where([...e.azs].sort())}`, parent: e.parent });
      e.members.forEach((m) => targets.set(m, id));
    }
    for (const asg of index.ofType('aws_autoscaling_group')) {
      const spec = blocks(asg.values.launch_template)[0] ?? blocks(blocks(blocks(asg.values.mixed_instances_policy)[0]?.launch_template)[0]?.launch_template_specification)[0];
      const lt = spec ? index.referenced(Object.values(spec)).find((r) => r.type === 'aws_launch_template') : undefined;
      const place = placeIn(asg.values.vpc_zone_identifier);
      const size = `${num(asg.values.min_size) ?? '?'}-${num(asg.values.max_size) ?? '?'}${num(asg.values.desired_capacity) !== undefined ? `, desired ${num(asg.values.desired_capacity)}` : ''}`;
      const id = addNode({
        id: safeId(`asg_${stack.name}_${asg.name}`),
        label: `${literal(asg.values.name) ?? roleName(asg)} · ASG ${size} x ${literal(lt?.values.instance_type) ?? '?'}${where(place.azs)}`,
        parent: place.parent,
      });
      targets.set(asg.address, id);
    }

    // EKS clusters, before the load balancers: a pool can be a target (through its Auto Scaling group).
    for (const k of index.ofType('aws_eks_cluster')) {
      const label = `EKS ${literal(k.values.name) ?? k.name}${literal(k.values.version) ? ` · Kubernetes ${literal(k.values.version)}` : ''}`;
      const pools = index.pointingAt(k, ['aws_eks_node_group'], 'cluster_name', k.values.name);
      if (!pools.length) {
        addNode({ id: safeId(`eks_${stack.name}_${k.name}`), label, parent: acct });
        continue;
      }
      // A cluster with managed node groups: a box of its own with one node per pool.
      const group = safeId(`eks_${stack.name}_${k.name}`);
      groups.set(group, { id: group, label, parent: acct });
      for (const pool of pools) {
        const scaling = blocks(pool.values.scaling_config)[0] ?? {};
        const size = `${num(scaling.min_size) ?? '?'}-${num(scaling.max_size) ?? '?'}${num(scaling.desired_size) !== undefined ? `, desired ${num(scaling.desired_size)}` : ''}`;
        const id = addNode({ id: safeId(`pool_${stack.name}_${pool.name}`), label: `pool ${literal(pool.values.node_group_name) ?? pool.name} · ${size} x ${strings(pool.values.instance_types).join('/') || '?'}`, parent: group });
        targets.set(pool.address, id);
      }
    }

    // Load balancers and what they send traffic to.
    for (const lb of index.ofType('aws_lb', 'aws_alb', 'aws_elb')) {
      const kind = lb.type === 'aws_elb' ? 'CLB' : lb.values.load_balancer_type === 'network' ? 'NLB' : 'ALB';
      const listeners = index.pointingAt(lb, ['aws_lb_listener', 'aws_alb_listener'], 'load_balancer_arn');
      const ports = listeners.map((l) => num(l.values.port)).filter((p): p is number => p !== undefined).sort((a, b) => a - b);
      const place = placeIn(lb.values.subnets);
      const id = addNode({
        id: safeId(`lb_${stack.name}_${lb.name}`),
        label: `${kind} ${bool(lb.values.internal) ? 'internal' : 'internet-facing'}${ports.length ? ` · ${ports.join(', ')}` : ''}`,
        parent: place.parent,
      });
      if (!bool(lb.values.internal)) edge({ from: addNode({ id: 'internet', label: 'Internet', parent: '', shape: 'external' }), to: id, label: ports.join(', ') || 'traffic' });
      for (const l of listeners) {
        for (const tg of index.referenced(l.values.default_action).filter((r) => r.type === 'aws_lb_target_group' || r.type === 'aws_alb_target_group')) {
          const port = num(tg.values.port);
          for (const asg of index.ofType('aws_autoscaling_group').filter((a) => index.referenced(a.values.target_group_arns).includes(tg))) {
            edge({ from: id, to: targets.get(asg.address)!, label: port ? String(port) : '' });
          }
          for (const att of index.pointingAt(tg, ['aws_lb_target_group_attachment'], 'target_group_arn')) {
            for (const inst of index.referenced(att.values.target_id)) if (targets.has(inst.address)) edge({ from: id, to: targets.get(inst.address)!, label: port ? String(port) : '' });
          }
          // An Auto Scaling group attached on its own, e.g. an EKS node group's (its name is an attribute of the node group).
          for (const att of index.pointingAt(tg, ['aws_autoscaling_attachment'], 'lb_target_group_arn')) {
            for (const group of index.referenced(att.values.autoscaling_group_name)) if (targets.has(group.address)) edge({ from: id, to: targets.get(group.address)!, label: port ? String(port) : '' });
          }
        }
      }
    }

    // Managed services.
    for (const db of index.ofType('aws_db_instance', 'aws_rds_cluster')) {
      const label = `RDS ${literal(db.values.engine) ?? ''} ${literal(db.values.instance_class) ?? ''}${bool(db.values.multi_az) ? ' Multi-AZ' : ''}`.replace(/\s+/g, ' ');
      addNode({ id: safeId(`db_${stack.name}_${db.name}`), label, parent: acct, shape: 'db' });
    }
    for (const c of index.ofType('aws_elasticache_replication_group')) {
      const n = num(c.values.num_cache_clusters) ?? (num(c.values.num_node_groups) ?? 1) * ((num(c.values.replicas_per_node_group) ?? 0) + 1);
      addNode({ id: safeId(`cache_${stack.name}_${c.name}`), label: `ElastiCache ${literal(c.values.engine) ?? 'redis'} · ${n} x ${literal(c.values.node_type) ?? '?'}`, parent: acct, shape: 'db' });
    }
    for (const app of index.ofType('aws_amplify_app')) {
      const branches = index.pointingAt(app, ['aws_amplify_branch'], 'app_id').map((b) => literal(b.values.branch_name) ?? b.name);
      addNode({ id: safeId(`amplify_${stack.name}_${app.name}`), label: `Amplify ${literal(app.values.name) ?? app.name}${branches.length ? ` · branches ${branches.join(', ')}` : ''}`, parent: acct });
    }
    const buckets = index.ofType('aws_s3_bucket').map((b) => literal(b.values.bucket) ?? literal(b.values.bucket_prefix) ?? b.name);
    if (buckets.length) addNode({ id: safeId(`s3_${stack.name}`), label: `S3 · ${buckets.length} bucket(s): ${buckets.join(', ')}`, parent: acct, shape: 'bucket' });

    // Roles and trust.
    for (const role of index.ofType('aws_iam_role')) {
      const trust = trustPolicies(index).filter((d) => d.resource === role).flatMap((d) => d.statements);
      const federated = trust.some((s) => s.principals.Federated);
      const crossAccount = trust.some((s) => (s.principals.AWS ?? []).length > 0);
      const assumesOthers = identityPolicies(index).some(
        (d) => index.referenced(d.resource.values.role).includes(role) && d.statements.some((s) => s.actions.some((a) => a.startsWith('sts:AssumeRole'))),
      );
      // Service roles (EC2, flow logs) are noise in an architecture picture; identity roles are not.
      if (!federated && !crossAccount && !assumesOthers) continue;
      const id = addNode({ id: roleNodes.get(role.address)!, label: `role ${literal(role.values.name) ?? role.name}`, parent: acct, shape: 'role' });
      for (const s of trust) {
        if (s.effect !== 'Allow') continue;
        for (const p of s.principals.AWS ?? []) edge({ from: p.startsWith('arn:') ? external(p) : addNode({ id: safeId(`acct_ext_${p}`), label: `account ${p}`, parent: '', shape: 'external' }), to: id, label: 'may assume' });
        for (const f of s.principals.Federated ?? []) {
          const provider = index.referenced(f).find((r) => r.type === 'aws_iam_openid_connect_provider');
          const url = literal(provider?.values.url) ?? (f.includes('oidc-provider/') ? f.split('oidc-provider/')[1] : 'OIDC provider');
          edge({ from: addNode({ id: safeId(`oidc_${url}`), label: `GitLab OIDC ${url}`, parent: '', shape: 'external' }), to: id, label: 'web identity' });
        }
      }
    }
    for (const doc of identityPolicies(index)) {
      const holder = index.referenced(doc.resource.values.role).find((r) => r.type === 'aws_iam_role');
      const from = holder ? roleNodes.get(holder.address) : undefined;
      if (!from || !nodes.has(from)) continue;
      for (const s of doc.statements) {
        if (s.effect !== 'Allow' || !s.actions.some((a) => a === 'sts:AssumeRole')) continue;
        for (const arn of s.resources.filter((r) => /^arn:[^:]+:iam::\d{12}:role\//.test(r))) edge({ from, to: external(arn), label: 'sts:AssumeRole' });
      }
    }
    for (const { arn, purpose } of provider.assumes) {
      const pipeline = addNode({ id: 'pipeline', label: 'GitLab CI pipeline (hub credentials)', parent: '', shape: 'external' });
      edge({ from: pipeline, to: external(arn), label: purpose === 'plan' ? `plans ${stack.name} (read-only)` : `deploys ${stack.name}`, dashed: true });
    }
    if (![...nodes.values()].some((n) => n.parent === acct) && ![...groups.values()].some((g) => g.parent === acct)) {
      addNode({ id: safeId(`stack_${stack.name}`), label: `${stack.name} · ${index.all.filter((r) => r.mode === 'resource').length} account-level resources`, parent: acct });
    } else if (!index.ofType('aws_vpc').length && index.all.some((r) => r.mode === 'resource')) {
      addNode({ id: safeId(`stack_${stack.name}`), label: `${stack.name} · ${index.all.filter((r) => r.mode === 'resource').length} resources`, parent: acct });
    }
  }

  return render(groups, nodes, edges);
}

function shape(n: Node): string {
  const l = `"${text(n.label)}"`;
  switch (n.shape) {
    case 'db':
      return `[(${l})]`;
    case 'bucket':
      return `[/${l}/]`;
    case 'role':
      return `([${l}])`;
    case 'external':
      return `{{${l}}}`;
    default:
      return `[${l}]`;
  }
}

function render(groups: Map<string, Group>, nodes: Map<string, Node>, edges: Edge[]): string {
  const lines = ['flowchart LR'];
  const emit = (parent: string, depth: number) => {
    const pad = '  '.repeat(depth);
    for (const n of nodes.values()) if (n.parent === parent) lines.push(`${pad}${n.id}${shape(n)}`);
    for (const g of groups.values()) {
      if (g.parent !== parent) continue;
      lines.push(`${pad}subgraph ${g.id}["${text(g.label)}"]`);
      if (g.row) lines.push(`${pad}  direction TB`);
      emit(g.id, depth + 1);
      lines.push(`${pad}end`);
    }
  };
  emit('', 1);
  for (const e of edges) lines.push(`  ${e.from} ${e.dashed ? '-.->' : '-->'}${e.label ? `|"${text(e.label)}"|` : ''} ${e.to}`);
  return lines.join('\n');
}

/** The diagram as a Markdown page (GitLab renders the mermaid block). */
export function architectureMarkdown(environment: string, stacks: readonly DiagramStack[]): string {
  return [
    `# Architecture: ${environment}`,
    '',
    `Generated from the synthesized stacks (${stacks.map((s) => s.name).join(', ') || 'none'}); regenerate with \`npm start\`, do not edit.`,
    '',
    '```mermaid',
    architectureDiagram(environment, stacks),
    '```',
    '',
  ].join('\n');
}
