// Every secret a run knows of is registered before the first message can quote an input: a secret typed
// into the wrong field (--client-id <the password>) must come out as [REDACTED], whichever source holds it.
import type { InputLayer } from '../config/inputs.js';
import { SECRET_KEYS } from '../config/inputs.js';
import type { Redactor } from '../core/redact.js';

export async function registerKnownSecrets(
  redactor: Redactor,
  layers: readonly (InputLayer | undefined)[],
  scenarioFile?: string,
): Promise<void> {
  for (const layer of layers) for (const key of SECRET_KEYS) redactor.add(layer?.values[key]);
  if (!scenarioFile) return;
  // The emulated tenant's credentials stand for real secrets; a file that does not load fails later, with its own message.
  const { loadScenarioFile } = await import('../emulator/scenario-file.js');
  try {
    const { credentials } = loadScenarioFile(scenarioFile);
    for (const value of [credentials.clientSecret, credentials.password, credentials.adminClientSecret])
      redactor.add(value);
  } catch {
    // startDemo reports it.
  }
}
