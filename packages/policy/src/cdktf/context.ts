import type { TerraformStack } from 'cdktf';
import { CONTEXT_KEY, type StackContext } from '../terraform-json';

/**
 * Writes what the environment says about itself into the stack's top-level "//" comment, so the
 * JSON-level checker applies production rules without knowing the environment model.
 */
export function setGuardrailContext(stack: TerraformStack, context: StackContext): void {
  stack.addOverride(`//.${CONTEXT_KEY}`, { ...context });
}
