export * from './amplify-hosting-stack';
export * from './amplify-gitlab-token-stack';
export * from './build-spec';
export * from './deploy-time-secrets';
export * from './deploy-time-variable';
