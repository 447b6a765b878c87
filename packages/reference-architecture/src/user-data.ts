import { gzipSync } from 'node:zlib';
import { Fn } from 'cdktf';

/** EC2's limit on user data, counted after base64 decoding. */
export const EC2_USER_DATA_LIMIT_BYTES = 16 * 1024;

/** cdktf's placeholder for a value Terraform resolves (a reference such as an RDS secret ARN). */
const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * A cloud-init document as `user_data_base64`, gzipped (cloud-init detects and unpacks it): the
 * rendered GitLab documents exceed EC2's 16 KiB raw. A document of literals is compressed here at
 * synth, so the plan shows its final value; one holding Terraform references (managed services'
 * secret ARNs, endpoints) is compressed by Terraform's base64gzip() once they are known.
 */
export function gzipUserData(document: string, what: string): string {
  const tokens = document.match(TOKEN) ?? [];
  // References resolve to ARNs and host names: 256 characters each is a generous stand-in for the size check.
  const gzipped = gzipSync(Buffer.from(document.replace(TOKEN, 'x'.repeat(256)), 'utf8'), { level: 9 });
  if (gzipped.length > EC2_USER_DATA_LIMIT_BYTES) throw new Error(`user data of ${what} is ${gzipped.length} bytes gzipped, above EC2's ${EC2_USER_DATA_LIMIT_BYTES}: shorten the rendered configuration`);
  if (tokens.length === 0) return gzipped.toString('base64');
  // Literals travel base64-encoded so no character of a shell script or gitlab.rb can be read as
  // HCL syntax (quotes, backslashes, "${", "%{"); Terraform joins them with the references' values.
  const literals = document.split(TOKEN);
  const parts = literals.flatMap((literal, i) => [...(literal ? [Fn.base64decode(Buffer.from(literal, 'utf8').toString('base64'))] : []), ...(i < tokens.length ? [tokens[i]] : [])]);
  return Fn.base64gzip(Fn.join('', parts));
}
