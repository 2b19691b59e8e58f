import { describe, expect, it } from 'vitest';
import { simulcastEncodings } from './PublicationSet.js';

describe('simulcastEncodings (apiRTC SimulcastOptions)', () => {
  it('is off without the option', () => {
    expect(simulcastEncodings(undefined)).toBeUndefined();
    expect(simulcastEncodings(false)).toBeUndefined();
  });

  it("uses apiRTC's defaults for true: 900 / 300 (÷2) / 100 (÷4) kbit/s, highest first", () => {
    expect(simulcastEncodings(true)).toEqual([
      { maxBitrate: 900_000, scaleResolutionDownBy: 1 },
      { maxBitrate: 300_000, scaleResolutionDownBy: 2 },
      { maxBitrate: 100_000, scaleResolutionDownBy: 4 },
    ]);
  });

  it('scales the defaults from maxBitrate and takes per-quality encodings as given (no upscaling)', () => {
    expect(simulcastEncodings({ maxBitrate: 1_800_000 })?.map((e) => e.maxBitrate)).toEqual([1_800_000, 600_000, 200_000]);
    expect(simulcastEncodings({ encodings: { low: { maxBitrate: 50_000, scaleResolutionDownBy: 0.5 } } })?.[2]).toEqual({
      maxBitrate: 50_000,
      scaleResolutionDownBy: 1,
    });
  });
});
