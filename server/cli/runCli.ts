import { AppError } from '../errors';
import { CHECKPOINT_HELP, checkpointCommand, publicKeyCommand } from './commands/checkpointCommand';
import { EXPORT_HELP, exportCommand } from './commands/exportCommand';
import { STATE_HELP, incidentsCommand, stateCommand } from './commands/stateCommand';
import { VERIFY_HELP, verifyCommand } from './commands/verifyCommand';
import { KIT_HELP, kitCommand } from './commands/kitCommand';
import { DEBRIEF_HELP, debriefCommand } from './commands/debriefCommand';
import { type CliIo, EXIT, UsageError } from './io';

export const HELP = `crisis-cell — post-incident tools on the server's own store

Opens the store from the same environment as the server: DATA_DIR (SQLite, default ./data)
or DATABASE_URL (PostgreSQL); CHECKPOINT_KEY_FILE for the signing key (default
DATA_DIR/checkpoint-key.pem). Safe to run while the server runs.

${EXPORT_HELP}

${VERIFY_HELP}

${CHECKPOINT_HELP}

${STATE_HELP}

${KIT_HELP}

${DEBRIEF_HELP}

Exit codes: 0 done, 1 verification failed (or an export found a broken chain), 2 usage error, 3 other error.
`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  export: exportCommand,
  verify: verifyCommand,
  checkpoint: checkpointCommand,
  'public-key': publicKeyCommand,
  state: stateCommand,
  incidents: incidentsCommand,
  kit: kitCommand,
  debrief: debriefCommand,
};

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`crisis-cell: unknown command "${name}" (try: crisis-cell help)\n`);
    return EXIT.usage;
  }
  try {
    return await command(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`crisis-cell ${name}: ${err.message} (see: crisis-cell help)\n`);
      return EXIT.usage;
    }
    if (err instanceof AppError) {
      io.stderr.write(`crisis-cell ${name}: ${err.code}: ${err.message}\n`);
      return err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST' ? EXIT.usage : EXIT.error;
    }
    io.stderr.write(`crisis-cell ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}
