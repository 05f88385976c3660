import { ConfigError, loadConfig } from './config';
import { startPlatform } from './compose-platform';

/** Starts a process with the given roles, prints where it listens, and stops cleanly on signals. */
export function runProcess(roles: { api: boolean; workers: boolean }): void {
  const main = async () => {
    const config = loadConfig();
    const platform = await startPlatform(config, { roles });
    const what = roles.api && roles.workers ? 'Sightline' : roles.api ? 'Sightline API' : 'Sightline worker';
    console.log(`${what} is running (${config.mode} mode, data in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir})`);
    if (platform.url) {
      if (roles.workers) console.log(`  Web app:                       ${platform.url}/`);
      console.log(`  GraphQL endpoint and GraphiQL: ${platform.url}/graphql`);
      console.log(`  Health:                        ${platform.url}/health`);
    } else {
      console.log(`  Queues: ${config.workerQueues.join(', ')}`);
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: shutting down`);
      await platform.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  };
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
    process.exit(1);
  });
}
