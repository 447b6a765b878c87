export * from './spoke-trust';
export * from './plan-policy';
export * from './spoke-roles-stack';
export * from './deploy-boundary';
