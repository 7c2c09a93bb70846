#!/usr/bin/env node
import { ignoreClosedOutput } from './logging.js';
import { main } from './main.js';

if (process.argv[2] === 'run') {
  // A gateway keeps serving when whoever reads its output goes away.
  ignoreClosedOutput();
} else {
  // A reader that stops early (`capstan validate … | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
