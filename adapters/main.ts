import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../core/errors.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { withDotEnv } from './dotenv.ts';

/** `npm start`: reads the configuration (the environment, then `.env`), wires the product, listens, and shuts down gracefully. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(withDotEnv(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  const server = app.http.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  app.logger.info({ port, store: config.MONGODB_URI ? 'mongodb' : 'sqlite' }, `Passerelle listening: web chat at http://localhost:${port}/`);
  await app.start();

  const shutdown = async (signal: string): Promise<void> => {
    app.logger.info({ signal }, 'shutting down: finishing in-flight messages');
    // Stop accepting connections and let the requests already received finish (a body may
    // still be arriving); then stop channels, finish in-flight turns and close the store.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    app.endStreams();
    const patience = setTimeout(() => server.closeAllConnections(), 10_000);
    await closed;
    clearTimeout(patience);
    await app.close();
    app.logger.info({}, 'stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Passerelle failed to start: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}\n`);
  process.exit(1);
});
