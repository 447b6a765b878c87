export * from './spoke-trust';
export * from './spoke-roles-stack';
