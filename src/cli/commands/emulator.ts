// Command module: `m365-doctor emulator` runs the emulated tenant standalone, for manual tests and other tools.
import type { Argv, CommandModule } from 'yargs';

interface EmulatorArgs {
  scenario?: string;
  scenarioFile?: string;
  port?: number;
  json?: boolean;
}

export const emulatorCommand: CommandModule<object, EmulatorArgs> = {
  command: 'emulator',
  describe: 'Run the emulated Microsoft 365 tenant until Ctrl-C (prints its endpoints and demo credentials)',
  builder: (y: Argv) =>
    y
      .option('scenario', { type: 'string', describe: 'Named problem to emulate' })
      .option('scenario-file', { type: 'string', normalize: true, describe: 'Tenant from a JSON scenario file' })
      .option('port', { type: 'number', describe: 'First port to listen on (default: free ports)' })
      .option('json', { type: 'boolean', describe: 'Print endpoints and credentials as JSON' })
      .conflicts('scenario', 'scenario-file') as Argv<EmulatorArgs>,
  handler: async (args) => {
    // Loaded only when this command runs.
    const { runStandaloneEmulator } = await import('../emulator-command.js');
    await runStandaloneEmulator(
      { scenario: args.scenario, scenarioFile: args.scenarioFile, port: args.port, json: Boolean(args.json) },
      process.stdout,
    );
  },
};
