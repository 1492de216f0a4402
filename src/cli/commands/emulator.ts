// Command module: `m365-doctor emulator` runs the emulated tenant standalone, for manual tests and other tools.
import type { Argv, CommandModule } from 'yargs';

interface EmulatorArgs { scenario?: string; scenarioFile?: string; port?: number; json?: boolean }

// Loaded only when this command runs.
const STANDALONE_MODULE = '../../emulator/standalone.js';

export const emulatorCommand: CommandModule<object, EmulatorArgs> = {
  command: 'emulator',
  describe: 'Run the emulated Microsoft 365 tenant until Ctrl-C (prints its endpoints and demo credentials)',
  builder: (y: Argv) => y
    .option('scenario', { type: 'string', describe: 'Named problem to emulate' })
    .option('scenario-file', { type: 'string', normalize: true, describe: 'Tenant from a JSON scenario file' })
    .option('port', { type: 'number', describe: 'First port to listen on (default: free ports)' })
    .option('json', { type: 'boolean', describe: 'Print endpoints and credentials as JSON' })
    .conflicts('scenario', 'scenario-file') as Argv<EmulatorArgs>,
  handler: async (args) => {
    const mod = (await import(STANDALONE_MODULE)) as {
      runStandaloneEmulator(o: EmulatorArgs, out: NodeJS.WritableStream): Promise<void>;
    };
    await mod.runStandaloneEmulator({ scenario: args.scenario, scenarioFile: args.scenarioFile, port: args.port, json: args.json }, process.stdout);
  },
};
