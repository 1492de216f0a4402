// Checks marked "directory reader" read the directory with a second credential (--admin); without one they skip.
import type { CheckContext, Outcome } from '../check.js';
import { NoDirectoryReaderError } from '../errors.js';

export const READER_PERMISSIONS = 'Application.Read.All, Policy.Read.All and Directory.Read.All (application permissions of an auditing app, or an admin signing in with --admin device-code)';

/** Runs `fn` when a directory reader is configured; otherwise a skip outcome that says what would let it run. */
export async function withDirectoryReader<C extends string>(ctx: CheckContext, fn: () => Promise<Outcome<C>>): Promise<Outcome<C> | Outcome<'NEEDS_DIRECTORY_READER'>> {
  if (!ctx.config.admin) return needsReader();
  try {
    return await fn();
  } catch (err) {
    if (err instanceof NoDirectoryReaderError) return needsReader();
    throw err;
  }
}

function needsReader(): Outcome<'NEEDS_DIRECTORY_READER'> {
  return { status: 'skip', code: 'NEEDS_DIRECTORY_READER', skipReason: 'needs-directory-reader', data: { permissions: READER_PERMISSIONS } };
}

/** The code text every reader check declares for its skip. */
export const NEEDS_DIRECTORY_READER = {
  message: 'Not checked: reading the directory needs a directory reader.',
  remediation: 'Re-run with --admin device-code (an administrator signs in), or --admin-client-id with M365_DOCTOR_ADMIN_CLIENT_SECRET for an auditing app that has {permissions}.',
};
