/**
 * Environment for an Nx run that starts, runs its tasks and exits: no daemon left behind, plain
 * output, and Nx's built-in project-graph plugins loaded in the Nx process itself. Isolated plugins
 * (Nx's default) each start a worker process that loads Nx again, which costs a cached repeat on two
 * cores more than a second; these plugins are Nx's own, so isolation buys nothing here.
 */
export const NX_ONE_SHOT_ENV = { NX_DAEMON: 'false', NX_TUI: 'false', NX_ISOLATE_PLUGINS: 'false' } as const;
