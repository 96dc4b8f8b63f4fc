/**
 * @module The top-level commands, each loaded only when used.
 *
 * Loading the server package takes over a second; API commands need only the SDK, so each command
 * module is imported lazily and server modules are imported lazily inside the commands that use them.
 */
import type { Command } from './command.ts';

export interface CommandEntry {
  readonly summary: string;
  /** Where it runs: shown in the global help so users know whether a gateway must be running. */
  readonly side: 'server' | 'api';
  load(): Promise<Command>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  start: { summary: 'Run the gateway in the foreground', side: 'server', load: async () => (await import('./commands/start.ts')).command },
  migrate: { summary: 'Apply database migrations', side: 'server', load: async () => (await import('./commands/migrate.ts')).command },
  environments: { summary: 'List and create environments', side: 'server', load: async () => (await import('./commands/environments.ts')).command },
  credentials: { summary: 'Create, list and revoke API credentials', side: 'server', load: async () => (await import('./commands/credentials.ts')).command },
  vault: { summary: 'Show encryption key usage; re-encrypt secrets to the newest key', side: 'server', load: async () => (await import('./commands/vault.ts')).command },
  connections: { summary: 'List, create and show connections', side: 'api', load: async () => (await import('./commands/connections.ts')).command },
  accounts: { summary: 'List, show and delete connected accounts', side: 'api', load: async () => (await import('./commands/accounts.ts')).command },
  tools: { summary: 'List and show tools; run a tool as a connected account', side: 'api', load: async () => (await import('./commands/tools.ts')).command },
};
