// Registers the bot's webhook with Viber and prints Viber's answer:
//   VIBER_AUTH_TOKEN=... VIBER_BOT_NAME=... npm run setup:viber -- https://host/webhooks/viber
// Viber calls the URL with a `webhook` event before it answers, so the server must be running
// and reachable over HTTPS with a valid certificate.
import { ViberClient } from '../src/channels/viber/client.js';
import { VIBER_EVENT_TYPES } from '../src/channels/viber/wire.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { ChannelError } from '../src/core/errors.js';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Runs the command; the exit code is 0 only when Viber accepted the webhook. */
async function main(argv: string[]): Promise<void> {
  const target = argv[0];
  if (!target || argv.length > 1) {
    fail('Usage: npm run setup:viber -- https://your-host/webhooks/viber', 64);
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    fail(`"${target}" is not a URL; use e.g. https://your-host/webhooks/viber`, 64);
  }
  if (url.protocol !== 'https:')
    fail('Viber only calls https:// webhooks with a valid certificate.', 64);

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`Configuration error: ${error.message}`, 78);
    throw error;
  }
  if (!config.viber) {
    fail(
      'VIBER_AUTH_TOKEN and VIBER_BOT_NAME are empty: set them to the bot token and sender name.',
      78,
    );
  }
  const client = new ViberClient({
    apiUrl: config.viber.apiUrl,
    authToken: config.viber.authToken,
  });
  try {
    // Names and photos are not needed by the bot: asking for them only adds personal data.
    const answer = await client.setWebhook({
      url: url.toString(),
      event_types: [...VIBER_EVENT_TYPES],
      send_name: false,
      send_photo: false,
    });
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  } catch (error) {
    if (error instanceof ChannelError) fail(`Viber refused: ${error.message}`);
    throw error;
  } finally {
    client.close();
  }
}

await main(process.argv.slice(2));
