// Runs the CLI from source (through tsx) for tests that need a real child process.
import { runCli } from '../../src/cli/main.js';

await runCli();
