#!/usr/bin/env node
// `npm run build` (also on prepare/prepack): two outputs in dist/.
// 1. The library: tsc (tsconfig.build.json) emits JavaScript + .d.ts beside each module, so the package entries
//    share one copy of @livekit/protocol etc. with the consumer's own code.
// 2. The CLI: one esbuild bundle (dist/cli-bundle/, split at the dynamic imports), because Node's ESM loader pays per
//    module: the ~450 modules of the unbundled CLI and its pure-JS dependencies took most of a process's start-up.
//    Native and heavy optional packages stay external and load only where they are used.
// The runner scripts the launchers start as their own processes (.mjs/.py) are copied beside both.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const bundleDir = join(dist, 'cli-bundle');
const ASSET_DIRS = ['node', 'scripted', 'python']; // under agent-runtime/; found through import.meta.url
const IS_ASSET = /\.(mjs|py)$/;
const EXTERNAL = ['node-datachannel', 'node-datachannel/*', '@livekit/rtc-node', '@livekit/agents', 'testcontainers', 'vitest'];

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
await build({
  entryPoints: { main: join(root, 'cli/main.ts') },
  outdir: bundleDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // bundled CommonJS dependencies (ws, …) call require(); an ES module has none of its own
  banner: { js: "import { createRequire as __labRequire } from 'node:module'; const require = __labRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The bundle's chunks sit one level under dist/ like agent-runtime/'s modules, so `new URL('./node/…', import.meta.url)`
// and the package-root lookup give the same answers from both.
for (const dir of ASSET_DIRS) {
  for (const name of readdirSync(join(root, 'agent-runtime', dir))) {
    if (!IS_ASSET.test(name)) continue;
    cpSync(join(root, 'agent-runtime', dir, name), join(dist, 'agent-runtime', dir, name));
    cpSync(join(root, 'agent-runtime', dir, name), join(bundleDir, dir, name));
  }
}
