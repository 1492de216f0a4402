// Test plugin (plain ESM, as a third party would write it): one check per behaviour the CLI tests need.
const codes = {
  OK: { message: 'Plugin check passed for {username}.' },
  MEH: { message: 'Plugin check has a warning.', remediation: 'Look at it.' },
  BAD: { message: 'Plugin check failed: {what}.', remediation: 'Repair {what}.' },
  ECHO: { message: 'Saw tenant {tenant}.' },
};

function check(id, run, meta = {}) {
  return {
    meta: {
      id,
      title: `Plugin ${id}`,
      category: 'config',
      dependsOn: [],
      description: 'Test plugin check.',
      docsUrl: `https://example.com/checks/${id}`,
      codes,
      ...meta,
    },
    run,
  };
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** Uses the optional parts of the contract: prepare() at run start, and a consulted result read through settled(). */
function consulting() {
  let prepared = false;
  return {
    ...check(
      'p-consults',
      async ({ settled }) => ({
        status: 'pass',
        code: 'OK',
        evidence: { prepared, consulted: (await settled('p-fail'))?.status ?? null },
      }),
      { consults: ['p-fail'] },
    ),
    prepare() {
      prepared = true;
    },
  };
}

export const checks = [
  check('p-pass', async () => ({ status: 'pass', code: 'OK' })),
  check('p-warn', async () => ({ status: 'warn', code: 'MEH' })),
  check('p-fail', async () => ({ status: 'fail', code: 'BAD', data: { what: 'the widget' } })),
  check('p-after-fail', async () => ({ status: 'pass', code: 'OK' }), { dependsOn: ['p-fail'] }),
  consulting(),
  check('p-throws', async () => {
    throw new Error('plugin exploded');
  }),
  check('p-slow', async ({ signal }) => {
    await sleep(10_000, signal);
    return { status: 'pass', code: 'OK' };
  }),
  check('p-slow-a', async ({ signal }) => {
    await sleep(300, signal);
    return { status: 'pass', code: 'OK' };
  }),
  check('p-slow-b', async ({ signal }) => {
    await sleep(300, signal);
    return { status: 'pass', code: 'OK' };
  }),
  check('p-echo', async ({ config }) => ({
    status: 'pass',
    code: 'ECHO',
    evidence: {
      tenant: config.tenant,
      clientId: config.clientId,
      username: config.username,
      cloud: config.cloud,
      activities: config.activities,
      timeoutMs: config.timeoutMs,
      imap: `${config.endpoints.imap.host}:${config.endpoints.imap.port}`,
      hasClientSecret: Boolean(config.clientSecret),
      hasPassword: Boolean(config.password),
      clientSecretLength: config.clientSecret ? config.clientSecret.reveal().length : 0,
      passwordLength: config.password ? config.password.reveal().length : 0,
      admin: config.admin ? config.admin.kind : null,
    },
  })),
  // Tries every way to leak the secrets: message data, evidence, the logger, and raw stdout/stderr writes.
  check('p-leak', async ({ config, log }) => {
    const secrets = [config.clientSecret?.reveal(), config.password?.reveal()].join(' and ');
    log.warn(`logger sees ${secrets}`);
    process.stdout.write(`raw stdout ${secrets}\n`);
    console.error(`raw stderr ${secrets}`);
    return { status: 'fail', code: 'BAD', data: { what: secrets }, evidence: { seen: secrets } };
  }),
];
