import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The recorded frames of real SDK sessions, the seeds the fuzzer mutates. */
export const CORPUS_FILE = fileURLToPath(new URL('./corpus.json', import.meta.url));

/** One frame a page sent, as parsed JSON, with the name of the user whose page sent it. */
export interface RecordedFrame {
  user: string;
  frame: unknown;
}

export interface Corpus {
  recordedAt: string;
  /** Commit the recording was made on. */
  commit: string;
  /** User ids the pages got, by user name (the recorded frames carry them). */
  users: Record<string, string>;
  frames: RecordedFrame[];
}

export function loadCorpus(): Corpus {
  return JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as Corpus;
}
