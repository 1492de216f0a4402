// Test plugin that breaks the contract: "consults" is not a list of ids, so loading must fail with a clear message.
export default {
  meta: {
    id: 'p-bad-consults',
    title: 'Bad consults',
    category: 'config',
    dependsOn: [],
    consults: 'p-pass',
    docsUrl: 'https://example.com/x',
    codes: { OK: { message: 'ok' } },
  },
  run: async () => ({ status: 'pass', code: 'OK' }),
};
