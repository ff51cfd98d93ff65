import { createClient } from 'redis';
import { TEST_REDIS_URL } from '../test/helpers/env.js';

/** Deletes every key of a bench run's prefix from the test Redis. */
export async function dropKeys(prefix: string): Promise<void> {
  const client = createClient({ url: TEST_REDIS_URL });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.quit();
  }
}
