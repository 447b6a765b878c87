export * from './fleet-settings';
export * from './config-toml';
