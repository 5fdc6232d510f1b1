// Entry point: read configuration, build the container, listen.
import { ConfigError, loadConfig } from './config/index.ts';
import { buildContainer } from './container.ts';
import { createLogger } from './logger.ts';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  for (const warning of config.warnings) logger.warn(warning);
  const container = await buildContainer(config, { logger });
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
