export * from './hub-config';
export * from './pipeline-policies';
export * from './state-policies';
export * from './pipeline-variables';
export * from './hub-identity-stack';
export * from './terraform-state-stack';
export * from './gitlab-ci-stack';
