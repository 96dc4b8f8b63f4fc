/** @module The `agentgate` command line. */
import { ConfigError } from '@agentgate/server';
import { start } from './commands/start.ts';

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'start':
      await start(process.env);
      return -1;
    default:
      console.error(`agentgate: unknown command "${command ?? ''}"`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`agentgate: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
