import { ErrorCode, explainIssues, MediaWorkerCommand, MediaWorkerEvent, ParleyError } from '@parley/protocol';

/**
 * The codec of the main-process ↔ media-worker channel: every message is checked against its
 * schema (packages/protocol/src/mediaWorker.ts) when it is sent and when it is received, so a
 * bug on either side fails at the boundary with the message's name and the bad field.
 */
export class MediaChannelError extends ParleyError {
  constructor(direction: 'command' | 'event', detail: string) {
    super(ErrorCode.OTHER, `invalid media worker ${direction}: ${detail}`);
    this.name = 'MediaChannelError';
  }
}

/** Checks a command (before sending it, and in the worker on receipt). @throws MediaChannelError */
export function parseCommand(raw: unknown): MediaWorkerCommand {
  const parsed = MediaWorkerCommand.safeParse(raw);
  if (!parsed.success) throw new MediaChannelError('command', explainIssues(parsed.error));
  return parsed.data;
}

/** Checks an event (in the worker before sending it, and in the main process on receipt). @throws MediaChannelError */
export function parseEvent(raw: unknown): MediaWorkerEvent {
  const parsed = MediaWorkerEvent.safeParse(raw);
  if (!parsed.success) throw new MediaChannelError('event', explainIssues(parsed.error));
  return parsed.data;
}
