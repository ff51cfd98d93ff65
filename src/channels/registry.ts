import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Channel } from '../core/channel.js';
import type { Clock } from '../core/clock.js';
import type { Coordinator } from '../coord/coordinator.js';
import type { Keys } from '../coord/keys.js';
import type { ContactsRepo } from '../store/contacts-repo.js';
import type { KvRepo } from '../store/kv-repo.js';
import { MessengerChannel } from './messenger/channel.js';
import { ZaloChannel } from './zalo/channel.js';
import { ViberChannel } from './viber/channel.js';

/** What a platform channel may use besides its own config slice. */
export interface ChannelDeps {
  clock: Clock;
  coord: Coordinator;
  keys: Keys;
  kv: KvRepo;
  contacts: ContactsRepo;
  log: FastifyBaseLogger;
}

/** The platform channels whose secrets are configured. */
export function platformChannels(config: Readonly<Config>, deps: ChannelDeps): Channel[] {
  const channels: Channel[] = [];
  if (config.messenger) channels.push(new MessengerChannel(config.messenger));
  if (config.zalo) channels.push(new ZaloChannel(config.zalo, deps));
  if (config.viber) channels.push(new ViberChannel(config.viber, deps));
  return channels;
}
