import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/load.js';
import { environmentWithEnvFile } from './env-file.js';
import { dashboardContext } from './dashboard/context.js';
import { createServices } from './services.js';

/** What a first start without ADMIN_TOKEN prints: where to sign in, with the one-time token. */
function firstSignInNotice(port: number, token: string): string {
  return [
    '',
    'Đăng nhập trang quản trị lần đầu / First sign-in to the organiser dashboard:',
    `  http://localhost:${port}/admin/login`,
    `  one-time token: ${token}`,
    'Mã chỉ dùng được một lần. Sau khi đăng nhập, vào "Tài khoản" tạo mã cho chủ sở hữu (hoặc đặt ADMIN_TOKEN).',
    'The token works once. After signing in, create an owner token under "Accounts" (or set ADMIN_TOKEN).',
    '',
    '',
  ].join('\n');
}

/** Starts the server: config ▸ services ▸ HTTP; stops gracefully on SIGTERM / SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(environmentWithEnvFile());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  let services;
  try {
    services = await createServices(config);
  } catch (error) {
    if (error instanceof ContentError) {
      process.stderr.write(`Content error: ${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`Start-up failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const app = await buildApp(config, services);
  app.addHook('onClose', async () => {
    await services.close();
  });
  await app.listen({ port: config.port, host: config.host });
  await services.start();
  const channels = [...services.channels.keys()].join(', ');
  app.log.info(
    { channels, storage: services.store.dialect, coordination: services.coord.kind },
    'bot is up',
  );
  if (config.simulator) app.log.info(`simulator: http://localhost:${config.port}/simulator`);
  const firstSignIn = (await dashboardContext(app, services)).takeFirstSignIn();
  // The only secret the server ever prints, once, outside the logs: no owner exists yet.
  if (firstSignIn) process.stdout.write(firstSignInNotice(config.port, firstSignIn));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: no new webhooks, finishing turns in flight');
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
