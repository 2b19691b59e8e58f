import type * as z from 'zod';

/** A one-line, human-readable summary of a schema failure, for error answers and logs. */
export function explainIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'message';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
