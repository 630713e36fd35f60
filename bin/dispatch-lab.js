#!/usr/bin/env node
// The installed package runs the compiled CLI (dist/cli-bundle/, one bundle: fast start). A repository checkout runs
// the TypeScript sources through tsx, so an edit is never hidden behind a stale build; DISPATCH_LAB_BUILT=1 makes a
// checkout run its dist/ too (the bench measures that).
import { existsSync } from 'node:fs';

const sources = new URL('../cli/main.ts', import.meta.url);
const built = new URL('../dist/cli-bundle/main.js', import.meta.url);
const useBuilt = existsSync(built) && (process.env.DISPATCH_LAB_BUILT === '1' || !existsSync(sources));
let main;
if (useBuilt) {
  ({ main } = await import(built.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
}
process.exitCode = await main(process.argv.slice(2));
