// Entry point: read configuration, build the container, listen.
import { ConfigError, loadConfig } from './config/index.ts';
import { buildContainer } from './container.ts';
import { createLogger } from './logger.ts';

/** A configuration error (a bad variable, or a file one names that cannot be used) is one line and exit code 78, not a stack trace. */
async function configured<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(78);
    }
    throw err;
  }
}

async function main() {
  const config = await configured(() => loadConfig());
  const logger = createLogger(config.logLevel);
  for (const warning of config.warnings) logger.warn(warning);
  const container = await configured(() => buildContainer(config, { logger }));
  const server = container.app.listen(config.port, config.host, () => {
    logger.info(`Codeword is serving ${config.issuer} (listening on ${config.host}:${config.port}, ${config.database.client})`);
    logger.info(`Discovery: ${config.urlBase}/.well-known/openid-configuration`);
    if (config.demoClient) logger.info(`Try a sign-in: ${config.urlBase}/demo`);
  });
  const shutdown = () => {
    server.close();
    container.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
