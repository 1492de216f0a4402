// Test plugin whose checks depend on each other in a circle.
const codes = { OK: { message: 'ok' } };
const c = (id, dep) => ({
  meta: { id, title: id, category: 'config', dependsOn: [dep], docsUrl: 'https://example.com/x', codes },
  run: async () => ({ status: 'pass', code: 'OK' }),
});
export const checks = [c('p-one', 'p-two'), c('p-two', 'p-one')];
