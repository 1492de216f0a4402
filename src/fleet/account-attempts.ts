// One password attempt per account per fleet run. Smart lockout counts wrong passwords per account, whatever
// app or target sent them: a mailbox listed in several targets (user names compared case-insensitively, on one
// tenant and authority) is signed in once, and the other targets reuse that outcome, token or refusal.
import { createHash } from 'node:crypto';
import type { TokenInfo } from '../clients/types.js';
import { ropcScopes } from '../auth/scopes.js';
import type { ResolvedConfig } from '../config/types.js';
import { EntraError } from '../core/errors.js';

/** Targets that name one account: the account's user name (as the first target spelled it) and target names. */
export interface SharedAccount {
  username: string;
  targets: string[];
}

export function accountKey(c: ResolvedConfig): string {
  return JSON.stringify([
    c.endpoints.authorityHost.replace(/\/+$/, '').toLowerCase(),
    c.tenant.toLowerCase(),
    c.username.toLowerCase(),
  ]);
}

/** What the attempt sends: targets that would send the same may share its outcome. Secrets only as digests. */
function attemptShape(c: ResolvedConfig): string {
  return JSON.stringify([
    c.clientId.toLowerCase(),
    digest(c.clientSecret?.reveal()),
    digest(c.password?.reveal()),
    ropcScopes(c),
  ]);
}

function digest(value: string | undefined): string {
  return value === undefined ? '' : createHash('sha256').update(value).digest('base64url');
}

/** The targets of a run that share an account with another target, in targets-file order. */
export function sharedAccounts(targets: readonly { name: string; config: ResolvedConfig }[]): SharedAccount[] {
  const by = new Map<string, SharedAccount>();
  for (const t of targets) {
    const key = accountKey(t.config);
    const entry = by.get(key) ?? { username: t.config.username, targets: [] };
    entry.targets.push(t.name);
    by.set(key, entry);
  }
  return [...by.values()].filter((a) => a.targets.length > 1);
}

interface Attempt {
  shape: string;
  target: string;
  outcome: Promise<TokenInfo>;
}

export class AccountAttempts {
  readonly #attempts = new Map<string, Attempt>();

  /**
   * The account's one ROPC attempt: made by the first target that asks, reused by the others. A target that
   * would send something else (another password, app or scopes) is not tried: its answer is a refusal that says why.
   */
  ropc(config: ResolvedConfig, target: string, attempt: () => Promise<TokenInfo>): Promise<TokenInfo> {
    const key = accountKey(config);
    const shape = attemptShape(config);
    const first = this.#attempts.get(key);
    if (!first) {
      const outcome = attempt();
      outcome.catch(() => {});
      this.#attempts.set(key, { shape, target, outcome });
      return outcome;
    }
    if (first.shape === shape) return first.outcome;
    return Promise.reject(
      new EntraError({
        httpStatus: 0,
        error: 'not_attempted',
        errorCodes: [],
        description:
          `Not tried: target "${first.target}" already made this run's one password attempt for this account, with another ` +
          'password, app or scopes; a second attempt could count toward smart lockout (AADSTS50053). Check the targets one at a time',
      }),
    );
  }
}
