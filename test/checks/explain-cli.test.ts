// `m365-doctor explain` through the built CLI: catalog codes explained, an unknown code answered with near matches.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('m365-doctor explain', () => {
  it('explains a network code with its fix', async () => {
    const r = await runCli(['explain', 'TIMEOUT']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reported by the network layer');
    expect(r.stdout).toContain('outbound firewall rule');
  });

  it('suggests the codes an unknown one is close to, with exit code 2', async () => {
    const r = await runCli(['explain', 'SMTP_AUTH_DISABLED']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean SMTP_AUTH_DISABLED_');
    expect(r.stderr).toContain('SMTP_AUTH_DISABLED_TENANT');
    expect(r.stderr).toContain('SMTP_AUTH_DISABLED_MAILBOX');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
