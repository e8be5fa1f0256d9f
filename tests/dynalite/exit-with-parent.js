// Preloaded into dynalite by the test harness (tests/Shared/DynaliteServer.cs):
//   node --require tests/dynalite/exit-with-parent.js tests/dynalite/node_modules/dynalite/cli.js --port ...
//
// The test process that starts dynalite keeps the write end of dynalite's standard input open and never writes to it.
// When that process goes away for any reason (a normal exit, an unhandled crash, or SIGKILL from the test runner after
// a run or on cancel), the kernel closes the pipe, standard input ends here, and dynalite exits with it. The parent pid
// is watched too, in case another process holds the pipe open. Without a pipe on standard input (dynalite run by hand)
// only the parent pid is watched.
'use strict';

const fs = require('fs');

const stop = () => process.exit(0);
const parent = process.ppid;

let stdinIsPipe = false;
try {
  const stat = fs.fstatSync(0);
  stdinIsPipe = stat.isFIFO() || stat.isSocket();
} catch {
  stdinIsPipe = false;
}
if (stdinIsPipe) {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

setInterval(() => {
  if (process.ppid !== parent) stop();
}, 500).unref();
