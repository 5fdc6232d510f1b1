// Serves an Sms instance's report and status-callback routes on a local port, as the app would behind its issuer.
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Sms } from '../../src/sms/index.ts';

export async function startReportServer(sms: Sms): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use(sms.routers.statusCallbacks.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
