// One gate for every interop test file: Dovecot is installed (once) or the suite is skipped loudly, never
// passed in silence. A failed install on a machine that could install fails the suite instead.
import { beforeEach, describe, test } from 'vitest';
import { ensureDovecot, type DovecotAvailability } from './dovecot-install.js';

let availability: DovecotAvailability | undefined;

export function dovecotAvailability(): DovecotAvailability {
  availability ??= ensureDovecot();
  return availability;
}

/** describe() when Dovecot can run here; otherwise a skipped block whose title carries the reason. */
export function describeWithDovecot(title: string, body: () => void): void {
  const a = dovecotAvailability();
  if (a.installError) {
    describe(title, () => {
      test('Dovecot is installed', () => {
        throw new Error(a.installError);
      });
    });
    return;
  }
  if (a.skipReason) {
    console.warn(`\n*** INTEROP SUITE SKIPPED (${title}): ${a.skipReason} ***\n`);
    describe.skip(`${title} - SKIPPED: ${a.skipReason}`, body);
    return;
  }
  if (a.installSeconds !== undefined)
    console.info(`Dovecot ${a.version} installed in ${a.installSeconds.toFixed(1)} s`);
  describe(title, body);
}

/** After each failed test, print the tail of the labs' logs: the server's reasons are only there. */
export function showLabLogOnFailure(labs: () => Iterable<{ log(): string; instanceName: string } | undefined>): void {
  beforeEach((ctx) => {
    ctx.onTestFailed(() => {
      for (const lab of labs()) {
        if (!lab) continue;
        console.error(
          `--- ${lab.instanceName} log (last 15 lines) ---\n${lab.log().trimEnd().split('\n').slice(-15).join('\n')}`,
        );
      }
    });
  });
}
