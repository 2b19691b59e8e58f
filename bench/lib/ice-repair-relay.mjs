// Child process of the ice-repair benchmark: `node ice-repair-relay.mjs repair|bare TARGET_PORT UFRAG PWD`.
// `repair`: the server's built IceRepairPort on 127.0.0.1, with one connection registered
// (UFRAG/PWD, libjuice's port = TARGET_PORT). `bare`: the least a Node relay can do for the same
// traffic, the reference: one socket facing the client, one facing the target, no parsing.
// Prints `{"port": n}` once listening; runs until killed.
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, targetPortText, ufrag, pwd] = process.argv.slice(2);
const targetPort = Number(targetPortText);
const repoRoot = join(import.meta.dirname, '..', '..');

if (mode === 'repair') {
  const { IceRepairPort } = await import(pathToFileURL(join(repoRoot, 'packages/server/dist/ice/IceRepairPort.js')).href);
  const port = await IceRepairPort.open({ port: 0, bindAddress: '127.0.0.1', targetAddress: '127.0.0.1' });
  port.register(ufrag, pwd, targetPort);
  console.log(JSON.stringify({ port: port.port }));
} else if (mode === 'bare') {
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  let client = null;
  front.on('message', (packet, from) => {
    client = from;
    back.send(packet, targetPort, '127.0.0.1');
  });
  back.on('message', (packet) => {
    if (client) front.send(packet, client.port, client.address);
  });
  await new Promise((resolve) => back.bind(0, '127.0.0.1', resolve));
  await new Promise((resolve) => front.bind(0, '127.0.0.1', resolve));
  console.log(JSON.stringify({ port: front.address().port }));
} else {
  console.error(`usage: ice-repair-relay.mjs repair|bare TARGET_PORT UFRAG PWD`);
  process.exit(2);
}
