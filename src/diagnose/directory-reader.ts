// Checks marked "directory reader" read the directory with a second credential (--admin). Without one, they and any
// Graph call as the reader throw NoDirectoryReaderError, which the runner alone turns into the skip
// (runner/execute.ts: the check's NEEDS_DIRECTORY_READER text when it declares one).
import type { CheckContext, Outcome } from '../core/check.js';
import { NoDirectoryReaderError } from '../core/errors.js';

/** Runs `fn` when a directory reader is configured; otherwise throws before any request is made. */
export async function withDirectoryReader<C extends string>(
  ctx: CheckContext,
  fn: () => Promise<Outcome<C>>,
): Promise<Outcome<C>> {
  if (!ctx.config.admin) throw new NoDirectoryReaderError();
  return fn();
}

/** The code text every reader check declares for its skip. */
export const NEEDS_DIRECTORY_READER = {
  message: 'Not checked: reading the directory needs a directory reader.',
  remediation:
    'Re-run with --admin device-code (an administrator signs in), or --admin-client-id with M365_DOCTOR_ADMIN_CLIENT_SECRET for an auditing app that has Application.Read.All, Policy.Read.All and Directory.Read.All (application permissions of an auditing app, or an admin signing in with --admin device-code).',
};
