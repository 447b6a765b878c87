import type { TerraformJson } from '../verify/synthesized-stacks';

/** A stack output that is a web address: what a stakeholder opens once the stack is deployed. */
export interface UrlOutput {
  readonly stack: string;
  readonly output: string;
  /** The address, with parts known only after deploy shown as <attribute>. */
  readonly url: string;
  readonly description?: string;
}

/** Outputs of the synthesized stacks whose value is an http(s) address, in stack order. */
export function urlOutputs(stacks: readonly { name: string; json: TerraformJson }[]): UrlOutput[] {
  return stacks.flatMap((s) =>
    Object.entries((s.json.output ?? {}) as Record<string, { value?: unknown; description?: string }>)
      .filter(([, o]) => typeof o.value === 'string' && /^https?:\/\//.test(o.value))
      .map(([output, o]) => ({
        stack: s.name,
        output,
        // "${aws_amplify_app.app.default_domain}" -> "<default_domain>"
        url: (o.value as string).replace(/\$\{([^}]*)\}/g, (_, expr: string) => `<${expr.split('.').pop()}>`),
        ...(o.description ? { description: o.description } : {}),
      })),
  );
}

/** The "URLs after deploy" block of the main job's summary; empty when no stack has one. */
export function renderUrls(urls: readonly UrlOutput[]): string {
  if (urls.length === 0) return '';
  const width = Math.max(...urls.map((u) => u.stack.length));
  const lines = urls.map((u) => `  ${u.stack.padEnd(width)}  ${u.url}${u.description ? `  ${u.description}` : ''}`);
  return ['URLs after deploy (<...> is known once deployed; `cdktf output` prints the values):', ...lines].join('\n');
}
