#!/usr/bin/env node
// The lona-ts command. It registers tsx's loader first, so that the CLI itself and the
// apps it runs can be TypeScript files, then hands over to src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
