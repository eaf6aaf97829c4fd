// Azurite's blob service in this process, ended when standard input closes. The process that started it (a pwsh, a test
// host) holds the other end and never writes to it, so Azurite ends however its starter ends, killed included, and a
// starter that stops it on purpose just closes the pipe. With FINQLINK_AZURITE_REMOVE_DATA=1 the data folder
// (--location) is removed on exit, unless the starter wrote "keep" first (a test that restarts Azurite on the same
// data). Other arguments pass through to Azurite.
'use strict';
const fs = require('fs');

const locationIndex = process.argv.indexOf('--location');
const location = locationIndex > 0 ? process.argv[locationIndex + 1] : undefined;
let keep = process.env.FINQLINK_AZURITE_REMOVE_DATA !== '1';
let stopping = false;

function stop() {
  if (stopping) return;
  stopping = true;
  // Azurite's own SIGTERM handler closes the server and saves its metadata; if it hangs, leave anyway.
  setTimeout(() => process.exit(0), 5000).unref();
  process.kill(process.pid, 'SIGTERM');
}

process.on('exit', () => {
  if (!keep && location) fs.rmSync(location, { recursive: true, force: true });
});
process.stdin.on('data', (data) => {
  if (String(data).includes('keep')) keep = true;
});
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();

// Azurite from the folder the test module installed it in (FINQLINK_AZURITE_MODULES, shared by the machine's clones),
// else from node_modules beside this script.
const modules = process.env.FINQLINK_AZURITE_MODULES;
require(modules ? require.resolve('azurite/dist/src/blob/main.js', { paths: [modules] }) : 'azurite/dist/src/blob/main.js');
