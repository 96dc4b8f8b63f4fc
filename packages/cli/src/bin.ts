/**
 * @module The `agentgate` command line. `npm run agentgate -- <command>` from the repository, or
 * `npx agentgate <command>` inside the workspace (through bin/agentgate.mjs).
 */
import { run } from './run.ts';

// `agentgate accounts list | head -1` closes stdout early; that is the reader's choice, not a
// failure worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// exitCode rather than process.exit(): stdout may be a pipe still being flushed (`… --json | jq`),
// and `start` keeps the process alive until a signal stops it.
process.exitCode = await run(process.argv.slice(2));
