import type { TerraformResource } from 'cdktf';

/** Marks stateful resources so no plan can destroy them (Terraform refuses: lifecycle.prevent_destroy). */
export function preventDestroy(on: boolean, ...resources: TerraformResource[]): void {
  if (!on) return;
  for (const r of resources) r.lifecycle = { ...r.lifecycle, preventDestroy: true };
}
