// `npm run setup:messenger`: writes the Page's Get Started button, greeting text and persistent
// menu through the Messenger Profile API, with the same settings as the server (MESSENGER_*).
import path from 'node:path';
import { MessengerApiClient } from '../src/channels/messenger/client.js';
import { buildProfile } from '../src/channels/messenger/profile.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { createTranslator } from '../src/i18n.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      return 78;
    }
    throw error;
  }
  if (!config.messenger) {
    process.stderr.write(
      'MESSENGER_PAGE_ACCESS_TOKEN: the Messenger channel is off. Set MESSENGER_APP_SECRET, MESSENGER_PAGE_ACCESS_TOKEN and MESSENGER_VERIFY_TOKEN in the environment, then run this again.\n',
    );
    return 78;
  }
  const t = createTranslator(path.resolve(import.meta.dirname, '../locales'));
  const profile = buildProfile(t, loadContent(config.contentDir));
  const client = new MessengerApiClient(config.messenger);
  try {
    await client.setProfile(profile);
  } catch (error) {
    process.stderr.write(`Messenger profile not updated: ${(error as Error).message}\n`);
    return 1;
  } finally {
    client.close();
  }
  const menu = profile.persistent_menu[0]?.call_to_actions.map((a) => a.title).join(' | ');
  process.stdout.write(
    `Messenger profile updated (${config.messenger.apiUrl}, ${config.messenger.graphVersion}):\n` +
      `  Get Started payload: ${profile.get_started.payload}\n` +
      `  greeting locales: ${profile.greeting.map((g) => g.locale).join(', ')}\n` +
      `  persistent menu: ${menu}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`setup:messenger failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
