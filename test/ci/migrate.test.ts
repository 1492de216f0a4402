// migrate --to app-only: each step's mark follows the run's evidence (and only that), a result missing from the
// report makes its step unknown, the PowerShell passes the fix script's structural checks, report text never
// becomes a command, bad input is one line with exit 2, and no secret reaches the output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeValue } from '../../src/cli/completion-values.js';
import { buildScenario } from '../../src/emulator/scenarios.js';
import type { CheckResult, RunReport } from '../../src/core/result.js';
import { EVIDENCE, judge } from '../../src/support/migration-evidence.js';
import { planMigration, type MigrationPlan, type StepId } from '../../src/support/migration-plan.js';
import { migrationScript } from '../../src/support/migration-script.js';
import { migrationPlanText } from '../../src/support/migration-text.js';
import { unsafeCommandReason } from '../../src/support/powershell-syntax.js';
import { runCli } from '../helpers/cli.js';
import { canarize, scanForLeaks } from '../reliability/helpers/canary.js';
import { readScript } from './helpers/ps-structure.js';
import { scenarioReport } from './helpers/scenario-report.js';

const SP = '44444444-4444-4444-4444-444444444444';
const APP_OBJECT = '33333333-3333-3333-3333-333333333333';
const reports = new Map<string, RunReport>();

beforeAll(async () => {
  for (const name of [
    'healthy',
    'missing-permission',
    'no-admin-consent',
    'exchange-sp-missing',
    'no-mailbox-permission',
  ])
    reports.set(name, await scenarioReport(name));
  reports.set(
    'app-only-ready (app-only profile)',
    await scenarioReport('app-only-ready', { profile: 'app-only', sendTestMail: true }),
  );
  for (const name of ['app-only-ready', 'app-only-smtp-sp-missing']) reports.set(name, await scenarioReport(name));
  for (const name of [
    'app-only-smtp-sp-missing',
    'app-only-smtp-no-send-as',
    'app-only-rbac-scoped',
    'app-only-smtp-role-missing',
  ])
    reports.set(`${name} (app-only profile)`, await scenarioReport(name, { profile: 'app-only', sendTestMail: true }));
}, 120_000);

const marks = (plan: MigrationPlan) => Object.fromEntries(plan.steps.map((s) => [s.id, s.mark]));
const partMarks = (plan: MigrationPlan, id: StepId) =>
  plan.steps.find((s) => s.id === id)!.parts.map((p) => `${p.label}: ${p.mark}`);
const result = (r: RunReport, id: string) => r.checks.find((c) => c.id === id);

describe("the marks follow the run's evidence", () => {
  // Each case states the evidence it stands on (asserted first), then the marks that evidence must give.
  const CASES: {
    scenario: string;
    evidence: Record<string, string>;
    roles?: string[];
    marks: Record<StepId, string>;
    read: string;
    send: string;
  }[] = [
    {
      scenario: 'healthy',
      evidence: { 'exchange-app-access': 'APP_ACCESS_OK', 'ropc-token': 'ROPC_OK', 'smtp-send': 'NEEDS_FLAG' },
      roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp'],
      marks: {
        permissions: 'todo',
        'service-principal': 'satisfied',
        'mailbox-access': 'unknown',
        connector: 'todo',
        verify: 'todo',
      },
      read: 'satisfied',
      send: 'unknown',
    },
    {
      scenario: 'missing-permission',
      evidence: { 'exchange-app-access': 'ROLES_MISSING' },
      roles: [],
      marks: {
        permissions: 'todo',
        'service-principal': 'unknown',
        'mailbox-access': 'unknown',
        connector: 'todo',
        verify: 'todo',
      },
      read: 'unknown',
      send: 'unknown',
    },
    {
      scenario: 'exchange-sp-missing',
      evidence: { 'exchange-app-access': 'EXCHANGE_SP_NOT_REGISTERED' },
      marks: {
        permissions: 'todo',
        'service-principal': 'todo',
        'mailbox-access': 'todo',
        connector: 'todo',
        verify: 'todo',
      },
      read: 'todo',
      send: 'unknown',
    },
    {
      scenario: 'no-mailbox-permission',
      evidence: { 'exchange-app-access': 'NO_MAILBOX_PERMISSION' },
      marks: {
        permissions: 'todo',
        'service-principal': 'satisfied',
        'mailbox-access': 'todo',
        connector: 'todo',
        verify: 'todo',
      },
      read: 'todo',
      send: 'unknown',
    },
    {
      scenario: 'app-only-ready (app-only profile)',
      evidence: {
        'imap-login': 'LOGIN_OK',
        'smtp-login': 'SMTP_OK',
        'smtp-send': 'TEST_MAIL_SENT',
        'exchange-app-access': 'NOT_IN_PROFILE',
        'ropc-token': 'NOT_IN_PROFILE',
      },
      roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'],
      marks: {
        permissions: 'satisfied',
        'service-principal': 'satisfied',
        'mailbox-access': 'satisfied',
        connector: 'unknown',
        verify: 'satisfied',
      },
      read: 'satisfied',
      send: 'satisfied',
    },
  ];

  for (const c of CASES) {
    it(c.scenario, () => {
      const report = reports.get(c.scenario)!;
      for (const [id, code] of Object.entries(c.evidence))
        expect(result(report, id)?.code, `${c.scenario}: ${id}`).toBe(code);
      const roles = result(report, 'app-roles-exchange')?.evidence.roles as string[];
      if (c.roles) expect([...roles].sort()).toEqual(c.roles);
      const plan = planMigration(report);
      expect(marks(plan)).toEqual(c.marks);
      expect(partMarks(plan, 'mailbox-access')).toEqual([
        `FullAccess for reading (IMAP/POP): ${c.read}`,
        `Send As for sending (SMTP): ${c.send}`,
      ]);
      // Step 1 names exactly the roles the token lacks.
      const lacking = ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'].filter((r) => !roles.includes(r));
      const evidence = plan.steps[0].parts[0].evidence;
      if (lacking.length) expect(evidence).toContain(`lacks ${lacking.join(', ')}`);
      else expect(evidence).toContain('carries IMAP.AccessAsApp, POP.AccessAsApp, SMTP.SendAsApp');
    });
  }

  it('tells a permission the registration does not request from one only consent is missing for', () => {
    const step1 = (name: string) => planMigration(reports.get(name)!).steps[0].parts[0];
    // missing-permission: the registration lists the roles as MISSING; no-admin-consent: it requests them, nobody consented.
    expect(result(reports.get('missing-permission')!, 'app-registration')?.evidence.permissions).toContain(
      'IMAP.AccessAsApp (application, Office 365 Exchange Online) MISSING',
    );
    expect(step1('missing-permission').evidence).toContain(
      'app-registration: the app registration does not request IMAP.AccessAsApp, POP.AccessAsApp',
    );
    expect(result(reports.get('no-admin-consent')!, 'app-registration')?.evidence.permissions).toContain(
      'IMAP.AccessAsApp (application, Office 365 Exchange Online)',
    );
    expect(step1('no-admin-consent')).toMatchObject({ mark: 'todo' });
    expect(step1('no-admin-consent').evidence).toContain(
      'app-registration: it requests IMAP.AccessAsApp, POP.AccessAsApp, so only admin consent is missing for them',
    );
  });

  it("names the enterprise application's object id, never the app registration's, and says the difference", () => {
    const report = reports.get('exchange-sp-missing')!;
    expect(result(report, 'app-registration')?.evidence.objectId).toBe(APP_OBJECT);
    const plan = planMigration(report);
    expect(plan.values.spObjectId).toBe(SP);
    const text = migrationPlanText(plan);
    expect(text).toContain(`New-ServicePrincipal -AppId 22222222-2222-2222-2222-222222222222 -ObjectId ${SP}`);
    expect(text.replace(/\s+/g, ' ')).toContain(`NOT the app registration's object id (${APP_OBJECT})`);
    expect(text).not.toMatch(new RegExp(`-ObjectId ${APP_OBJECT}|-User ${APP_OBJECT}|-Trustee ${APP_OBJECT}`));
  });

  it('gives the verify command for this tenant, app and mailbox with no secret on it', () => {
    const plan = planMigration(reports.get('healthy')!);
    expect(plan.verifyCommand).toBe(
      'm365-doctor check --profile app-only --tenant 11111111-1111-1111-1111-111111111111 ' +
        '--client-id 22222222-2222-2222-2222-222222222222 --username connector@m365doctordemo.onmicrosoft.com',
    );
    expect(plan.overriddenEndpoints).toEqual([]);
    // An endpoint the run overrode: the flag to repeat is named, its value is not.
    const report = reports.get('healthy')!;
    const proxied = planMigration({
      ...report,
      target: { ...report.target, endpoints: { ...report.target.endpoints, imap: 'imap.example.net:10993' } },
    });
    expect(proxied.overriddenEndpoints).toEqual(['--imap']);
    expect(migrationPlanText(proxied)).toContain('add the same --imap.');
    expect(migrationPlanText(proxied)).not.toContain('imap.example.net');
    expect(planMigration(reports.get('healthy')!, { demo: { scenario: 'healthy' } }).verifyCommand).toBe(
      'm365-doctor check --profile app-only --scenario healthy',
    );
    const text = migrationPlanText(plan).replace(/\s+/g, ' ');
    expect(text).toContain('client credentials grant');
    expect(text).toContain('scope https://outlook.office365.com/.default');
    expect(text).toContain('XOAUTH2 user=connector@m365doctordemo.onmicrosoft.com');
  });
});

// The app-only SMTP logins' structured evidence (servicePrincipalRegistered, holdsSendAsApp) and smtp-send's
// mailboxPermission decide where the checks before them in the table cannot (here: left out of the report).
describe('app-only SMTP evidence', () => {
  const without = (name: string, ...ids: string[]): RunReport => {
    const report = reports.get(name)!;
    return { ...report, checks: report.checks.filter((c) => !ids.includes(c.id)) };
  };
  const part = (plan: MigrationPlan, id: StepId) => plan.steps.find((s) => s.id === id)!.parts[0];

  it.each([
    ['app-only-ready', 'satisfied', true],
    ['app-only-smtp-sp-missing', 'todo', false],
  ] as const)('vendor profile, %s: exchange-app-smtp marks the service principal %s', (name, mark, registered) => {
    expect(result(reports.get(name)!, 'exchange-app-smtp')?.evidence).toMatchObject({
      servicePrincipalRegistered: registered,
      holdsSendAsApp: true,
    });
    const sp = part(planMigration(without(name, 'exchange-app-access')), 'service-principal');
    expect(sp).toMatchObject({ mark });
    expect(sp.evidence).toMatch(/^exchange-app-smtp (APP_SMTP_OK|EXCHANGE_SP_NOT_REGISTERED): /);
  });

  it.each([
    ['app-only-ready (app-only profile)', 'satisfied', 'SMTP_OK'],
    ['app-only-smtp-sp-missing (app-only profile)', 'todo', 'APP_NOT_REGISTERED'],
  ] as const)('app-only profile, %s: smtp-login marks the service principal %s', (name, mark, code) => {
    expect(result(reports.get(name)!, 'smtp-login')?.code).toBe(code);
    const sp = part(planMigration(without(name, 'imap-login', 'pop-login')), 'service-principal');
    expect(sp).toMatchObject({ mark });
    expect(sp.evidence).toContain(`smtp-login ${code}: `);
  });

  it("sending only: the login's holdsSendAsApp decides the role when app-roles-exchange is not in the report", () => {
    const ctx = { profile: 'app-only', neededRoles: ['SMTP.SendAsApp'] };
    expect(
      judge('exchange-roles', without('app-only-ready (app-only profile)', 'app-roles-exchange').checks, ctx),
    ).toEqual({ mark: 'satisfied', evidence: 'smtp-login: the app-only Exchange token carries SMTP.SendAsApp' });
    expect(
      judge('exchange-roles', without('app-only-ready', 'app-roles-exchange').checks, { ...ctx, profile: 'vendor' })
        .evidence,
    ).toBe('exchange-app-smtp: the app-only Exchange token carries SMTP.SendAsApp');
    // With reading roles needed too, the SMTP login alone cannot tell.
    expect(
      judge('exchange-roles', without('app-only-ready', 'app-roles-exchange').checks, {
        ...ctx,
        neededRoles: ['IMAP.AccessAsApp', 'SMTP.SendAsApp'],
      }).mark,
    ).toBe('unknown');
  });

  it.each([
    ['app-only-ready (app-only profile)', 'proven', 'satisfied'],
    ['app-only-smtp-no-send-as (app-only profile)', 'denied', 'todo'],
  ] as const)("%s: smtp-send's mailboxPermission %s marks sending %s", (name, permission, mark) => {
    expect(result(reports.get(name)!, 'smtp-send')?.evidence.mailboxPermission).toBe(permission);
    expect(partMarks(planMigration(reports.get(name)!), 'mailbox-access')).toContain(
      `Send As for sending (SMTP): ${mark}`,
    );
  });

  it('RBAC for Applications: SMTP.SendAsApp missing from the token is no step to do once the app-only SMTP login was accepted', () => {
    const rbac = planMigration(reports.get('app-only-rbac-scoped (app-only profile)')!);
    expect(result(reports.get('app-only-rbac-scoped (app-only profile)')!, 'smtp-login')?.evidence).toMatchObject({
      holdsSendAsApp: false,
      servicePrincipalRegistered: true,
    });
    expect(marks(rbac)).toMatchObject({
      permissions: 'satisfied',
      'service-principal': 'satisfied',
      'mailbox-access': 'satisfied',
      verify: 'satisfied',
    });
    expect(rbac.steps[0].parts[0].evidence).toContain('lacks SMTP.SendAsApp');
    expect(rbac.steps[0].parts[0].evidence).toContain(
      'smtp-login pass SMTP_OK: Exchange accepted the app-only SMTP login without it, so RBAC for Applications grants sending',
    );
    // The same token refused by Exchange (no RBAC assignment): consent (or the assignment) is still to do.
    const refused = planMigration(reports.get('app-only-smtp-role-missing (app-only profile)')!);
    expect(result(reports.get('app-only-smtp-role-missing (app-only profile)')!, 'smtp-login')?.code).toBe(
      'ROLE_MISSING',
    );
    expect(refused.steps[0]).toMatchObject({ mark: 'todo' });
    expect(refused.steps[0].parts[0].evidence).not.toContain('RBAC for Applications grants');
  });

  it('app-only-smtp-sp-missing (app-only profile): step 2 is to do and nothing claims sending works', () => {
    const plan = planMigration(reports.get('app-only-smtp-sp-missing (app-only profile)')!);
    expect(marks(plan)).toMatchObject({ permissions: 'satisfied', 'service-principal': 'todo', verify: 'todo' });
    expect(partMarks(plan, 'mailbox-access')).toContain('Send As for sending (SMTP): unknown');
  });
});

describe('absent evidence', () => {
  it('makes a step unknown, naming the check that is missing', () => {
    const report = reports.get('no-mailbox-permission')!;
    const without = (...ids: string[]): RunReport => ({
      ...report,
      checks: report.checks.filter((c) => !ids.includes(c.id)),
    });
    const plan = planMigration(without('exchange-app-access', 'app-roles-exchange'));
    expect(marks(plan)).toMatchObject({
      permissions: 'unknown',
      'service-principal': 'unknown',
      'mailbox-access': 'unknown',
    });
    expect(plan.steps[0].parts[0].evidence).toMatch(
      /^app-roles-exchange is not in the report; exchange-app-smtp skip NOT_HELD does not tell; /,
    );
    expect(plan.steps[1].parts[0].evidence).toMatch(
      /^exchange-app-access is not in the report; exchange-app-smtp skip NOT_HELD does not tell; imap-login, pop-login, smtp-login ran with the vendor profile/,
    );
  });

  it('takes a result that says nothing (skipped, errored) as unknown, not as done', () => {
    const report = reports.get('healthy')!;
    const errored = report.checks.map((c): CheckResult =>
      c.id === 'app-roles-exchange' || c.id === 'exchange-app-access'
        ? { ...c, status: 'error', code: 'NETWORK', evidence: {} }
        : c,
    );
    const plan = planMigration({ ...report, checks: errored });
    expect(marks(plan)).toMatchObject({ permissions: 'unknown', 'service-principal': 'unknown' });
    expect(plan.steps[0].parts[0].evidence).toMatch(/^app-roles-exchange read no roles claim \(error NETWORK\); /);
  });

  it("shows the script's own commands with placeholders where the report lacks the values, and no command to run", () => {
    const plan = planMigration(reports.get('no-mailbox-permission')!);
    // A report that named neither the app nor its enterprise application.
    const bare = { ...plan, values: { ...plan.values, appId: undefined, spObjectId: undefined } };
    const text = migrationPlanText(bare);
    const commands = text
      .split('\n')
      .filter((l) => /^ {6}\S/.test(l))
      .map((l) => l.trim());
    const mailbox = bare.values.mailbox!;
    expect(commands).toEqual(
      expect.arrayContaining([
        'New-ServicePrincipal -AppId <application id> -ObjectId <object id of the enterprise application>',
        "Get-ServicePrincipal | Where-Object AppId -eq '<application id>' | Format-List AppId, ObjectId, DisplayName",
        `Add-MailboxPermission -Identity ${mailbox} -User <object id of the enterprise application> -AccessRights FullAccess`,
      ]),
    );
    // The script prints none of them: a placeholder is never a command that may run.
    const script = readScript(migrationScript(bare, { version: '0.1.0' }));
    expect(script.code.filter((l) => l.includes('<'))).toEqual([]);
  });

  it('the table gains a check with one row, and that check then decides', () => {
    const report = reports.get('healthy')!;
    const ctx = { profile: 'vendor', neededRoles: ['SMTP.SendAsApp'] };
    expect(judge('mailbox-send', report.checks, ctx).mark).toBe('unknown');
    const extra: CheckResult = { ...report.checks[0], id: 'smtp-app-send', status: 'fail', code: 'NO_SEND_AS' };
    const table = {
      ...EVIDENCE,
      'mailbox-send': [
        ...EVIDENCE['mailbox-send'],
        {
          check: 'smtp-app-send',
          read: (r: CheckResult) =>
            r.code === 'NO_SEND_AS' ? { mark: 'todo' as const, evidence: 'smtp-app-send NO_SEND_AS' } : 'no',
        },
      ],
    };
    expect(judge('mailbox-send', [...report.checks, extra], ctx, table)).toEqual({
      mark: 'todo',
      evidence: 'smtp-app-send NO_SEND_AS',
    });
  });
});

describe('the PowerShell script', () => {
  it('passes the structural checks: comments, balanced quoting, approved verbs, every code line a plain cmdlet call', () => {
    for (const [name, report] of reports) {
      const script = migrationScript(planMigration(report), {
        version: '0.1.0',
        now: new Date('2026-01-02T03:04:05Z'),
      });
      const shape = readScript(script);
      expect(shape.problems, `${name}:\n${script}`).toEqual([]);
      for (const line of shape.code.filter((l) => !l.startsWith('$ErrorActionPreference')))
        expect(unsafeCommandReason(line), line).toBeUndefined();
    }
  });

  it('runs what is to do, comments what is done, and checks before changing what is unknown', () => {
    const code = (name: string) =>
      readScript(migrationScript(planMigration(reports.get(name)!), { version: '0.1.0' })).code;
    const script = (name: string) => migrationScript(planMigration(reports.get(name)!), { version: '0.1.0' });
    expect(code('exchange-sp-missing')).toEqual([
      "$ErrorActionPreference = 'Stop'",
      'Connect-ExchangeOnline -ExchangeEnvironmentName O365Default -ShowBanner:$false',
      "Get-ServicePrincipal | Where-Object AppId -eq '22222222-2222-2222-2222-222222222222' | Format-List AppId, ObjectId, DisplayName",
      `New-ServicePrincipal -AppId 22222222-2222-2222-2222-222222222222 -ObjectId ${SP}`,
      `Add-MailboxPermission -Identity connector@m365doctordemo.onmicrosoft.com -User ${SP} -AccessRights FullAccess`,
    ]);
    expect(code('no-mailbox-permission').filter((l) => /^(New|Add)-/.test(l))).toEqual([
      `Add-MailboxPermission -Identity connector@m365doctordemo.onmicrosoft.com -User ${SP} -AccessRights FullAccess`,
    ]);
    expect(script('no-mailbox-permission')).toContain(
      `# Already satisfied: New-ServicePrincipal -AppId 22222222-2222-2222-2222-222222222222 -ObjectId ${SP}`,
    );
    // Send As is unknown in a vendor run: its change is a comment, RBAC the commented alternative.
    expect(script('healthy')).toMatch(
      /^# If it is needed \(remove the "# " to use it\): Add-RecipientPermission -Identity \S+ -Trustee 4{8}-\S+ -AccessRights SendAs -Confirm:\$false$/m,
    );
    expect(script('healthy')).toContain(
      "# New-ManagementRoleAssignment -App 22222222-2222-2222-2222-222222222222 -Role 'Application SMTP.SendAsApp' -CustomResourceScope 'Mail connector mailboxes'",
    );
    // Nothing to run when the tenant side is done: no connection either.
    expect(code('app-only-ready (app-only profile)')).toEqual([]);
  });

  it('never turns report text into code: values that are not a GUID or an address leave their command out', () => {
    const report = reports.get('exchange-sp-missing')!;
    const evil = "x'; Stop-Computer; '";
    const tampered: RunReport = {
      ...report,
      startedAt: '2026-01-01T00:00:00Z\nRemove-Mailbox boss',
      target: {
        ...report.target,
        clientId: `22222222-2222-2222-2222-222222222222${evil}`,
        username: `victim@contoso.com${evil}`,
        tenant: `$(Stop-Computer)`,
      },
      checks: report.checks.map((c): CheckResult => {
        if (c.id === 'service-principal')
          return { ...c, evidence: { ...c.evidence, spObjectId: `${SP}; Stop-Computer` } };
        if (c.id === 'app-credentials') return { ...c, evidence: { ...c.evidence, servicePrincipalObjectId: evil } };
        if (c.id === 'exchange-app-access')
          return {
            ...c,
            code: 'EXCHANGE_SP_NOT_REGISTERED\nRemove-Mailbox boss',
            evidence: { ...c.evidence, servicePrincipalObjectId: evil },
          };
        if (c.id === 'app-roles-exchange')
          return { ...c, evidence: { ...c.evidence, roles: ['IMAP.AccessAsApp', 'Stop-Computer'] } };
        return c;
      }),
    };
    const plan = planMigration(tampered);
    const script = migrationScript(plan, { version: '0.1.0' });
    const text = migrationPlanText(plan);
    expect(readScript(script).problems).toEqual([]);
    expect(readScript(script).code.join('\n')).not.toMatch(
      /Stop-Computer|Remove-Mailbox|New-ServicePrincipal|Add-MailboxPermission/,
    );
    for (const out of [script, text]) expect(out).not.toMatch(/Stop-Computer|Remove-Mailbox|victim/);
    expect(plan.values).toMatchObject({
      appId: undefined,
      mailbox: undefined,
      tenant: undefined,
      spObjectId: undefined,
    });
    expect(script).toContain(
      "# No command: the enterprise application's object id or the app id is not in the report.",
    );
  });
});

describe('m365-doctor migrate (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stepLines = (text: string) => text.split('\n').filter((l) => /^\d\. \[/.test(l));

  it('plans a fresh run on stdout, exit 0, and the same plan from its saved report (--from)', async () => {
    const saved = join(dir, 'nmp.json');
    const run = await runCli([
      'migrate',
      '--to',
      'app-only',
      '--scenario',
      'no-mailbox-permission',
      '--report',
      `json:${saved}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(stepLines(run.stdout)).toEqual([
      '1. [to do] Add the Exchange application permissions and grant admin consent',
      "2. [already satisfied] Register the app's service principal in Exchange Online (New-ServicePrincipal)",
      "3. [to do] Give the app access to the connector's mailbox",
      '4. [to do] Change the connector to client credentials',
      '5. [to do] Verify with the app-only profile',
    ]);
    expect(run.stdout).toContain('m365-doctor check --profile app-only --scenario no-mailbox-permission');
    const again = await runCli(['migrate', '--to', 'app-only', '--from', saved]);
    expect(again.code, again.stderr).toBe(0);
    expect(stepLines(again.stdout)).toEqual(stepLines(run.stdout));
    // From the file, the verify command names the tenant, and the emulator's endpoints as flags to repeat.
    expect(again.stdout).toContain(
      'm365-doctor check --profile app-only --tenant 11111111-1111-1111-1111-111111111111',
    );
    expect(again.stdout.replace(/\s+/g, ' ')).toContain(
      'add the same --authority-host, --graph-url, --imap, --pop, --smtp.',
    );
    const script = await runCli(['migrate', '--to', 'app-only', '--from', saved, '--script', 'powershell']);
    expect(script.code, script.stderr).toBe(0);
    expect(script.stdout.startsWith('# m365-doctor migration script (PowerShell)')).toBe(true);
    expect(readScript(script.stdout).problems).toEqual([]);
    expect(readScript(script.stdout).code).toContain(
      `Add-MailboxPermission -Identity connector@m365doctordemo.onmicrosoft.com -User ${SP} -AccessRights FullAccess`,
    );
  });

  it('refuses an unknown --to, an unreadable or invalid --from and run options with --from: exit 2, one line', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 1}');
    for (const [args, line] of [
      [
        ['migrate', '--to', 'exchange-2010', '--demo'],
        /^m365-doctor: --to: "exchange-2010" is not a migration m365-doctor plans\. Use one of: app-only$/,
      ],
      [['migrate', '--to', 'app-only', '--from', join(dir, 'missing.json')], /^m365-doctor: --from: cannot read /],
      [['migrate', '--to', 'app-only', '--from', dir], /^m365-doctor: --from: /],
      [['migrate', '--to', 'app-only', '--from', bad], /^m365-doctor: report bad\.json: is not an m365-doctor report/],
      [
        ['migrate', '--to', 'app-only', '--from', bad, '--scenario', 'healthy'],
        /^m365-doctor: --from: reads a saved report, so --scenario would have no effect/,
      ],
      [
        ['migrate', '--to', 'app-only', '--targets', bad],
        /^m365-doctor: --targets: migrate plans one connector at a time/,
      ],
    ] as [string[], RegExp][]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
      expect(run.stderr.trimEnd()).toMatch(line);
    }
  });

  it('writes no secret: canary secrets of the emulated tenant appear in neither the plan nor the script', async () => {
    const { value, canaries } = canarize(buildScenario('exchange-sp-missing'));
    const file = join(dir, 'canary-scenario.json');
    writeFileSync(
      file,
      JSON.stringify(value, (_k, v: unknown) => (v === Infinity ? -1 : v)),
    );
    const leaks = [];
    for (const extra of [[], ['--script', 'powershell'], ['--verbose']]) {
      const run = await runCli(['migrate', '--to', 'app-only', '--scenario-file', file, ...extra]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/New-ServicePrincipal -AppId/);
      leaks.push(
        ...scanForLeaks(`migrate ${extra.join(' ')} stdout`, run.stdout, canaries),
        ...scanForLeaks(`migrate ${extra.join(' ')} stderr`, run.stderr, canaries),
      );
    }
    expect(canaries.length).toBeGreaterThan(1);
    expect(leaks).toEqual([]);
  });

  it('is in the help and completes --to', async () => {
    const help = await runCli(['migrate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--to\s/);
    expect(help.stdout).toMatch(/--script/);
    expect((await runCli(['--help'])).stdout).toMatch(/m365-doctor migrate/);
    expect(await completeValue(['m365-doctor', 'migrate', '--to', ''])).toEqual(['app-only']);
  });
});
