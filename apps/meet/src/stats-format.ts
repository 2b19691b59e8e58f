/** The part of a `callStatsUpdate.stats` block the demo shows. */
interface RtpFigures {
  bitsSentPerSecond?: number;
  bitsReceivedPerSecond?: number;
  packetLossRatio?: number;
  delay?: number;
}

/** `callStatsUpdate.stats` as far as the demo reads it. */
export interface StatsLike {
  audioSent?: RtpFigures;
  videoSent?: RtpFigures;
  audioReceived?: RtpFigures;
  videoReceived?: RtpFigures;
  quality?: { mosAV?: number | string; mosSAV?: number | string };
}

/** The four figures of a tile's stats line. */
export interface TileStats {
  /** bit/s, audio + video. */
  bitRate: number;
  /** Worst of audio and video, 0..1. */
  loss: number;
  /** ms; null when unknown. */
  rtt: number | null;
  /** Audio+video MOS; null when absent. */
  mos: number | null;
}

/** Sums a stream's blocks (sent or received) into one line's figures. */
export function tileStats(stats: StatsLike): TileStats {
  const blocks = [stats.audioSent, stats.videoSent, stats.audioReceived, stats.videoReceived].filter((b): b is RtpFigures => b !== undefined);
  const bitRate = blocks.reduce((sum, b) => sum + (b.bitsSentPerSecond ?? b.bitsReceivedPerSecond ?? 0), 0);
  const loss = blocks.reduce((worst, b) => Math.max(worst, b.packetLossRatio ?? 0), 0);
  const delays = blocks.map((b) => b.delay ?? 0).filter((d) => d > 0);
  const mosValue = stats.quality?.mosAV ?? stats.quality?.mosSAV;
  return {
    bitRate,
    loss,
    rtt: delays.length > 0 ? Math.max(...delays) : null,
    mos: typeof mosValue === 'number' ? mosValue : null,
  };
}

/** "1.2 Mb/s · loss 0.5 % · RTT 24 ms · MOS 4.3" */
export function formatTileStats(s: TileStats): string {
  const rate = s.bitRate >= 1e6 ? `${(s.bitRate / 1e6).toFixed(1)} Mb/s` : `${Math.round(s.bitRate / 1e3)} kb/s`;
  const parts = [rate, `loss ${(s.loss * 100).toFixed(1)} %`];
  if (s.rtt !== null) parts.push(`RTT ${Math.round(s.rtt)} ms`);
  if (s.mos !== null) parts.push(`MOS ${s.mos.toFixed(1)}`);
  return parts.join(' · ');
}
