#!/usr/bin/env node
// `npm run build`: compiles the library to dist/ (JavaScript + .d.ts, tsconfig.build.json) and copies the files
// tsc does not emit (the agent runners and scripted agents the launchers start as their own processes).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ASSET_DIRS = ['agent-runtime/node', 'agent-runtime/scripted', 'agent-runtime/python'];
const IS_ASSET = /\.(mjs|py)$/;

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
for (const dir of ASSET_DIRS) {
  for (const name of readdirSync(join(root, dir))) {
    if (IS_ASSET.test(name)) cpSync(join(root, dir, name), join(dist, dir, name));
  }
}
