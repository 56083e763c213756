import { configFromEnv } from './config';
import { startServer } from './createServer';

/**
 * Entry point of `npm start`: configuration from the environment, graceful stop on signals.
 * SIGTERM/SIGINT drain the node (no new connections, clients told to reconnect elsewhere,
 * pending commits flushed) and the process exits within SHUTDOWN_GRACE_SECONDS whatever hangs.
 */
async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const server = await startServer(config);
  // The set-up link also as a plain line of its own, not only inside the JSON log: the person
  // starting the server for the first time reads the console, and copies the link from there.
  if (server.setupUrl) process.stdout.write(`\nNo account yet. Open this one-time link to create the administrator:\n${server.setupUrl}\n\n`);
  const graceMs = config.shutdownGraceSeconds * 1000;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal, graceSeconds: config.shutdownGraceSeconds }, 'shutting down: draining, committing what is pending');
    const deadline = setTimeout(() => {
      server.logger.error({ graceSeconds: config.shutdownGraceSeconds }, 'grace period over: exiting with the shutdown unfinished');
      process.exit(1);
    }, graceMs);
    deadline.unref();
    server.drain(graceMs).then(
      () => {
        server.logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        server.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
