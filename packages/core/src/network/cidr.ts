/** IPv4 CIDR arithmetic done at synth time, so subnet ranges are plain values in the JSON. */

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Like Terraform's cidrsubnet(prefix, newbits, netnum). */
export function cidrSubnet(block: string, newBits: number, netNum: number): string {
  const [ip, bits] = block.split('/');
  const prefix = Number(bits) + newBits;
  if (prefix > 28) throw new Error(`cidrSubnet: ${block} + ${newBits} bits gives /${prefix}; AWS subnets are at most /28`);
  if (netNum < 0 || netNum >= 2 ** newBits) throw new Error(`cidrSubnet: ${block} has no subnet number ${netNum} with ${newBits} new bits`);
  return `${toIp(toInt(ip) + netNum * 2 ** (32 - prefix))}/${prefix}`;
}

/** True when `inner` lies inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [o, ob] = outer.split('/');
  const [i, ib] = inner.split('/');
  if (Number(ib) < Number(ob)) return false;
  const size = 2 ** (32 - Number(ob));
  return Math.floor(toInt(o) / size) === Math.floor(toInt(i) / size);
}
