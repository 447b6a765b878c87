import { blocks, bool, references, type TfResource } from '../terraform-json';
import { perResource, type Rule } from './rule';

function imdsv2(r: TfResource): string | undefined {
  const tokens = blocks(r.values.metadata_options)[0]?.http_tokens;
  if (tokens === 'required') return undefined;
  return `${r.type} ${r.address} allows IMDSv1 (metadata_options.http_tokens is ${tokens === undefined ? 'not set' : `"${String(tokens)}"`})`;
}

export const ec2Rules: Rule[] = [
  {
    id: 'GLA-EC2-001',
    severity: 'high',
    title: 'Instances require IMDSv2',
    checkov: ['CKV_AWS_79'],
    trivy: ['AWS-0028'],
    fix: 'Set metadata_options { http_tokens = "required" } (hop limit 2 where containers need the metadata service).',
    check: perResource(['aws_instance'], imdsv2),
  },
  {
    id: 'GLA-EC2-002',
    severity: 'high',
    title: 'Launch templates require IMDSv2',
    checkov: ['CKV_AWS_79'],
    trivy: ['AWS-0130'],
    fix: 'Set metadata_options { http_tokens = "required" } on the launch template.',
    check: perResource(['aws_launch_template'], imdsv2),
  },
  {
    id: 'GLA-EC2-003',
    severity: 'high',
    title: 'Instance volumes are encrypted',
    checkov: ['CKV_AWS_8'],
    trivy: ['AWS-0131'],
    fix: 'Set root_block_device { encrypted = true } and encrypted = true on every ebs_block_device.',
    check: perResource(['aws_instance'], (r) => {
      const root = blocks(r.values.root_block_device)[0];
      if (bool(root?.encrypted) !== true) return `aws_instance ${r.address}: the root volume is not encrypted (root_block_device.encrypted is not true)`;
      const plain = blocks(r.values.ebs_block_device).filter((d) => bool(d.encrypted) !== true);
      if (plain.length) return `aws_instance ${r.address}: ${plain.length} EBS block device(s) not encrypted (${plain.map((d) => String(d.device_name ?? '?')).join(', ')})`;
      return undefined;
    }),
  },
  {
    id: 'GLA-EC2-004',
    severity: 'high',
    title: 'Launch template volumes are encrypted',
    checkov: ['CKV_AWS_8'],
    trivy: ['AWS-0008'],
    fix: 'Declare block_device_mappings for the root device with ebs { encrypted = true } (and a KMS key where required).',
    check: perResource(['aws_launch_template'], (r, { index }) => {
      const mappings = blocks(r.values.block_device_mappings);
      if (!mappings.length) {
        // Instances that name their own encrypted root volume do not take it from the template
        // (GLA-EC2-003 judges those); anything else launched from it (an ASG) would.
        // Stryker disable next-line ConditionalExpression: equivalent, Terraform refuses a resource that refers to itself
        const users = index.all.filter((u) => u !== r && references(u.values).includes(r.address));
        const coveredByInstances =
          users.length > 0 && users.every((u) => u.type === 'aws_instance' && bool(blocks(u.values.root_block_device)[0]?.encrypted) === true);
        if (coveredByInstances) return undefined;
        return `aws_launch_template ${r.address} declares no block_device_mappings: its volumes take the AMI's settings, which may be unencrypted`;
      }
      const plain = mappings.filter((m) => !m.no_device && bool(blocks(m.ebs)[0]?.encrypted) !== true);
      if (plain.length) return `aws_launch_template ${r.address}: volume(s) ${plain.map((m) => String(m.device_name ?? '?')).join(', ')} not encrypted (ebs.encrypted is not true)`;
      return undefined;
    }),
  },
  {
    id: 'GLA-EBS-001',
    severity: 'high',
    title: 'EBS volumes are encrypted',
    checkov: ['CKV_AWS_3'],
    trivy: ['AWS-0026'],
    fix: 'Set encrypted = true (and kms_key_id for a customer-managed key) on the aws_ebs_volume.',
    check: perResource(['aws_ebs_volume'], (r) => (bool(r.values.encrypted) === true ? undefined : `aws_ebs_volume ${r.address} is not encrypted`)),
  },
  {
    id: 'GLA-EC2-005',
    severity: 'high',
    title: 'Backend nodes get no public IP address',
    checkov: ['CKV_AWS_88'],
    trivy: ['AWS-0009'],
    fix: 'Remove associate_public_ip_address (or set it to false) and place the node in a private subnet; reach it through SSM or a load balancer.',
    check: perResource(['aws_instance', 'aws_launch_template'], (r) => {
      if (bool(r.values.associate_public_ip_address) === true) return `${r.type} ${r.address} gives the node a public IP address`;
      const nic = blocks(r.values.network_interfaces).find((n) => bool(n.associate_public_ip_address) === true);
      return nic ? `${r.type} ${r.address}: a network interface gives the node a public IP address` : undefined;
    }),
  },
  {
    id: 'GLA-VPC-001',
    severity: 'medium',
    title: 'Subnets do not hand out public IPs by default',
    checkov: ['CKV_AWS_130'],
    trivy: ['AWS-0164'],
    fix: 'Set map_public_ip_on_launch = false; give public addresses only to load balancers and NAT gateways.',
    check: perResource(['aws_subnet'], (r) =>
      bool(r.values.map_public_ip_on_launch) === true ? `aws_subnet ${r.address} assigns a public IP to every instance launched in it` : undefined,
    ),
  },
];
