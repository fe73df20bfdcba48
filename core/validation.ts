import type { z } from 'zod';

/**
 * One line per problem, each naming the path, what was expected and what was received,
 * e.g. `steps[3].reward: expected number, received string`.
 */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length === 0 ? '(root)' : formatPath(issue.path);
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}
