/** `npm start`: the whole platform in one process (embedded default, no service needed). */
import { ConfigError, loadConfig } from './config';
import { startPlatform } from './compose-platform';

async function main() {
  const config = loadConfig();
  const api = await startPlatform(config);
  console.log(`Sightline is running (${config.mode} mode, data in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir})`);
  console.log(`  GraphQL endpoint and GraphiQL: ${api.url}/graphql`);
  console.log(`  Health:                        ${api.url}/health`);
  const stop = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    await api.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
