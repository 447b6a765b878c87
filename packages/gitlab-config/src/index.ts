export * from './topology';
export { validateTopology } from './topology-validation';
export * from './wiring';
export * from './secrets';
export { renderGitlabRb } from './gitlab-rb';
