import { blocks, num, strings, type TfResource } from '../terraform-json';
import { perResource, type Rule, type RuleInput } from './rule';

/** Control-plane log types an incident needs: who called the API, what it did, who signed in. */
export const REQUIRED_EKS_LOG_TYPES = ['api', 'audit', 'authenticator'] as const;

function controlPlaneLogs(r: TfResource): string | undefined {
  const enabled = strings(r.values.enabled_cluster_log_types);
  const missing = REQUIRED_EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
  return missing.length ? `aws_eks_cluster ${r.address}: control-plane logs ${missing.join(', ')} are off (enabled_cluster_log_types)` : undefined;
}

function nodeMetadata(r: TfResource, { index }: RuleInput): string | undefined {
  const spec = blocks(r.values.launch_template)[0];
  if (!spec) return `aws_eks_node_group ${r.address} uses EKS's default launch template, which allows IMDSv1 and a hop limit of 2 (pods can reach the node role)`;
  const template = index.referenced(spec.id ?? spec.name).find((t) => t.type === 'aws_launch_template');
  if (!template) return `aws_eks_node_group ${r.address}: its launch template is not in this stack, so its metadata options cannot be evaluated here`;
  const options = blocks(template.values.metadata_options)[0] ?? {};
  const problems: string[] = [];
  if (options.http_tokens !== 'required') problems.push(`http_tokens is ${options.http_tokens === undefined ? 'not set' : `"${String(options.http_tokens)}"`}`);
  const hops = num(options.http_put_response_hop_limit);
  if (hops !== 1) problems.push(`http_put_response_hop_limit is ${hops === undefined ? 'not set' : hops}`);
  return problems.length ? `aws_eks_node_group ${r.address}: launch template ${template.address} lets pods reach the node's credentials (${problems.join(', ')})` : undefined;
}

/** EKS rules beyond the API endpoint and secrets encryption (GLA-EKS-001/002, in load-balancers.ts). */
export const eksRules: Rule[] = [
  {
    id: 'GLA-EKS-003',
    severity: 'medium',
    title: 'EKS control-plane logs are on',
    checkov: ['CKV_AWS_37'],
    trivy: ['AWS-0038'],
    fix: `Set enabled_cluster_log_types to include ${REQUIRED_EKS_LOG_TYPES.join(', ')} (and own the /aws/eks/<cluster>/cluster log group with a retention).`,
    check: perResource(['aws_eks_cluster'], controlPlaneLogs),
  },
  {
    id: 'GLA-EKS-004',
    severity: 'high',
    title: 'EKS nodes require IMDSv2 with a hop limit of 1',
    checkov: [],
    trivy: [],
    fix: 'Give the node group a launch template with metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 }; pods get AWS access through Pod Identity.',
    check: perResource(['aws_eks_node_group'], nodeMetadata),
  },
];
