#!/usr/bin/env node
/**
 * @module Launcher of the `agentgate` bin (`npx agentgate …` inside the workspace).
 *
 * The CLI and the server are TypeScript run without a build step, so the launcher registers tsx's
 * ESM loader in this process (tsx/esm/api) before importing the entry point; a re-spawn with
 * `node --import tsx` would work too but costs a second Node start-up and complicates signals.
 */
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
