// `/`: a small landing page in the screen language saying what this server is, with links to the demo, console, discovery and inbox.
import Router from '@koa/router';
import type { Config } from '../config/index.ts';
import type { ScreenRenderer } from '../views.ts';

export function landingRoutes(deps: { config: Pick<Config, 'env' | 'issuer' | 'demoClient'>; screens: Pick<ScreenRenderer, 'render'> }): Router {
  const { config, screens } = deps;
  const issuer = config.issuer.endsWith('/') ? config.issuer : `${config.issuer}/`;
  const links = [
    ...(config.demoClient ? [{ href: '/demo', key: 'landing.demo' }] : []),
    { href: '/admin', key: 'landing.admin' },
    { href: new URL('.well-known/openid-configuration', issuer).pathname, key: 'landing.discovery' },
    // The development inbox is mounted outside production only.
    ...(config.env === 'production' ? [] : [{ href: '/dev/sms', key: 'landing.dev_inbox' }]),
  ];
  const router = new Router();
  router.get('/', async (ctx) => {
    await screens.render(ctx, 'landing', { links, issuer: config.issuer });
  });
  return router;
}
