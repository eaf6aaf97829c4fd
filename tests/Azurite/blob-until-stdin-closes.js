// Azurite's blob service in this process, ended when standard input closes. The process that started it (a pwsh, a test
// host) holds the other end and never writes to it, so Azurite ends however its starter ends, killed included, and a
// starter that stops it on purpose just closes the pipe. Arguments pass through to Azurite.
'use strict';

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  // Azurite's own SIGTERM handler closes the server and saves its metadata; if it hangs, leave anyway.
  setTimeout(() => process.exit(0), 5000).unref();
  process.kill(process.pid, 'SIGTERM');
}

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();

require('azurite/dist/src/blob/main.js');
