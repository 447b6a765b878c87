import type { Scenario } from './scenario';
import { identityScenarios } from './scenarios/identity.scenarios';
import { runnerAndNodeScenarios } from './scenarios/runners-and-nodes.scenarios';
import { serviceScenarios } from './scenarios/services.scenarios';
import { spokeRoleScenarios } from './scenarios/spoke-roles.scenarios';
import { stateScenarios } from './scenarios/state.scenarios';
import { staticKeyScenarios } from './scenarios/static-keys.scenarios';

/** Every scenario, in the order docs/identity.md lists the claims. */
export const ALL_SCENARIOS: Scenario[] = [...identityScenarios, ...spokeRoleScenarios, ...stateScenarios, ...staticKeyScenarios, ...serviceScenarios, ...runnerAndNodeScenarios];
