// Child process for fanout-cpu.e2e.test.ts: plays N subscribing endpoints with node-datachannel,
// so that their decryption does not count in the SFU process being measured.
// IPC in: {type:'offer', id, sdp} | {type:'candidate', id, candidate, mid} | {type:'stats'} | {type:'close'}
// IPC out: {type:'answer', id, sdp} | {type:'candidate', id, candidate, mid} | {type:'stats', packets, bytes, connected}
import nodeDataChannel from 'node-datachannel';

const peers = new Map();
let packets = 0;
let bytes = 0;

function peer(id) {
  let p = peers.get(id);
  if (p) return p;
  const pc = new nodeDataChannel.PeerConnection(`bench-${id}`, { iceServers: [] });
  p = { pc, tracks: [] };
  pc.onLocalDescription((sdp, type) => process.send({ type, id, sdp }));
  pc.onLocalCandidate((candidate, mid) => process.send({ type: 'candidate', id, candidate, mid }));
  pc.onTrack((track) => {
    p.tracks.push(track); // keep the wrapper referenced
    track.onMessage((msg) => {
      packets++;
      bytes += msg.length;
    });
  });
  peers.set(id, p);
  return p;
}

process.on('message', (msg) => {
  if (msg.type === 'offer') peer(msg.id).pc.setRemoteDescription(msg.sdp, 'offer');
  else if (msg.type === 'candidate') {
    try {
      peer(msg.id).pc.addRemoteCandidate(msg.candidate, msg.mid);
    } catch {}
  } else if (msg.type === 'stats') {
    let connected = 0;
    for (const p of peers.values()) if (p.pc.state() === 'connected') connected++;
    process.send({ type: 'stats', packets, bytes, connected });
  } else if (msg.type === 'close') {
    for (const p of peers.values()) p.pc.close();
    nodeDataChannel.cleanup();
    process.exit(0);
  }
});
