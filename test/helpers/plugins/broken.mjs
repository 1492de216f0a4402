// Test plugin that breaks the contract: no codes, so loading must fail with a clear message.
export default {
  meta: { id: 'p-broken', title: 'Broken', category: 'config', dependsOn: [], docsUrl: 'https://example.com/x' },
  run: async () => ({}),
};
