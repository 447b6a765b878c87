// Stryker ignorer plugins: code whose mutants no test can or should kill, ignored with a reason
// (an ignored mutant is reported as "Ignored", never counted as killed).
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/** Properties of the policy rules that are cross-reference data, not behaviour. */
const CROSS_REFERENCES = new Set(['checkov', 'trivy']);

const keyName = (node) => (node.key?.type === 'Identifier' ? node.key.name : node.key?.type === 'StringLiteral' ? node.key.value : undefined);

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'RuleCrossReferences', {
    shouldIgnore(path) {
      if (path.isObjectProperty() && CROSS_REFERENCES.has(keyName(path.node))) {
        return 'Checkov/Trivy ID table: a cross-reference printed in reports, no behaviour to test';
      }
      return undefined;
    },
  }),
];
