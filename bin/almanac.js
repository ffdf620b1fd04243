#!/usr/bin/env node
// The `almanac` command: runs the compiled CLI (build it first with `npm run build`).
try {
  await import('../dist/src/main.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/main.js')) {
    process.stderr.write('almanac: not built yet, run: npm run build\n');
    process.exit(1);
  }
  throw err;
}
