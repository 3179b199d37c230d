'use strict';
/**
 * The CEN emulator of a given checkout in its own process (one core of its own, as the real
 * service is not in the provider's process). argv: <package root> <options JSON>.
 * Sends {endpoint, accessKeyId, accessKeySecret} once it listens; stops on SIGTERM.
 */
const path = require('node:path');

const [root, optionsJson] = process.argv.slice(2);
const { startEmulator } = require(path.join(root, 'dist', 'emulator'));

startEmulator(JSON.parse(optionsJson)).then(
  (emu) => {
    process.send({ endpoint: emu.endpoint, accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret });
    const stop = () => emu.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('disconnect', stop);
  },
  (err) => {
    process.send({ error: err.message }, () => process.exit(1));
  },
);
