import * as z from 'zod';

/**
 * Bounds a free-form field by the size of its JSON text, in UTF-8 bytes. Every field whose
 * content the server stores or forwards without understanding it goes through here, so that no
 * single field can take more than its share of a frame (the frame cap alone lets one field use
 * all of it, and what is stored is then copied to every participant and every replay buffer).
 *
 * Nesting depth is not checked here: the server refuses deep frames before parsing them. On a
 * value that cannot be serialized (only possible when an SDK validates its own objects) the
 * check fails instead of throwing.
 */
export function bounded<T extends z.ZodType>(schema: T, maxBytes: number): T {
  return schema.check((ctx) => {
    let json: string | undefined;
    try {
      json = JSON.stringify(ctx.value);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'not serializable as JSON', input: ctx.value });
      return;
    }
    if (json !== undefined && utf8Length(json) > maxBytes) {
      ctx.issues.push({ code: 'custom', message: `larger than ${maxBytes} bytes as JSON`, input: ctx.value });
    }
  });
}

/** Length of `text` in UTF-8 bytes, without encoding it (the protocol package runs in browsers too). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3; // the rest of the BMP, and lone surrogates (encoded as U+FFFD)
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
