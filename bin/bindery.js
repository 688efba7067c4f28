#!/usr/bin/env node
// The `bindery` executable. Bindery is TypeScript run directly by Node 24 (type
// stripping). When an older Node starts this file (a system Node on PATH), it hands over
// to the Node 24 the project depends on, so `bindery` works however it is started.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  await import('../src/cli/main.ts');
} else {
  const node = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(node)) {
    console.error(`bindery needs Node.js 24 or later (this is ${process.version}); run \`npm install\` first, or start it with \`npm start\`.`);
    process.exit(1);
  }
  const result = spawnSync(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
