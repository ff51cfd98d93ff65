import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConversationState } from 'botbuilder-core';
import type { Logger } from 'pino';
import { LearningWeekBot } from '../flows/bot.js';
import { BroadcastService } from './broadcast/service.js';
import type { EngineOptions } from './broadcast/engine.js';
import { allFeatures } from '../flows/features.js';
import { welcomeMessage } from '../flows/menu.js';
import { platformChannels } from './channels/registry.js';
import { SimulatorChannel } from './channels/simulator/channel.js';
import type { Config } from './config.js';
import { loadContent, type Content } from './content/load.js';
import { ChatAdapter } from './core/adapter.js';
import type { Channel } from './core/channel.js';
import { ChannelError, RecipientUnreachableError } from './core/errors.js';
import { systemClock, type Clock } from './core/clock.js';
import type { ChannelId, Locale, OutboundMessage } from './core/events.js';
import { Inbox } from './core/inbox.js';
import { createProcessor, type ReceiptListener } from './core/processor.js';
import { MemoryCoordinator, type Coordinator } from './coord/coordinator.js';
import { makeKeys, type Keys } from './coord/keys.js';
import { connectRedis, RedisCoordinator } from './coord/redis-coordinator.js';
import { createTranslator, type Translate } from './i18n.js';
import { createLogger } from './logger.js';
import { NominationService } from './nominations/service.js';
import { PlaceDirectory } from './places/directory.js';
import { loadQuizBank } from './quiz/bank.js';
import { QuizService } from './quiz/service.js';
import { RegistrationScheduler } from './registration/scheduler.js';
import { RegistrationService } from './registration/service.js';
import { RedisBotStorage, SqlBotStorage } from './store/bot-state-storage.js';
import { ContactsRepo } from './store/contacts-repo.js';
import { openStore, type Store } from './store/db.js';
import { InboxRepo } from './store/inbox-repo.js';
import { KvRepo } from './store/kv-repo.js';

/** The project's root folder (where locales/ and content/ live), from src/ or from dist/src/. */
export const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start, '..');
    dir = parent;
  }
  return dir;
}

/** Options tests and tools use to build services in isolation. */
export interface ServiceOptions {
  clock?: Clock;
  logger?: Logger;
  /** PostgreSQL schema (one per test suite). */
  pgSchema?: string;
  /** Redis key prefix (one per test suite). */
  keyPrefix?: string;
  /** Channels to use instead of the configured platform channels (fakes in tests). */
  channels?: Channel[];
  /** Broadcast engine tuning (tests shorten the poll interval and the lease). */
  broadcastEngine?: Partial<EngineOptions>;
}

/** Everything the server runs on, built once from the config. */
export interface Services {
  config: Readonly<Config>;
  clock: Clock;
  log: Logger;
  store: Store;
  coord: Coordinator;
  keys: Keys;
  content: Content;
  t: Translate;
  contacts: ContactsRepo;
  inboxRepo: InboxRepo;
  kv: KvRepo;
  inbox: Inbox;
  adapter: ChatAdapter;
  bot: LearningWeekBot;
  channels: Map<ChannelId, Channel>;
  simulator: SimulatorChannel | undefined;
  receiptListeners: ReceiptListener[];
  /** Registrations, consent ledger, data rights. */
  registration: RegistrationService;
  /** The quiz contest (content/quiz.json). */
  quiz: QuizService;
  /** Nominations of exemplary self-learners. */
  nominations: NominationService;
  /** Reminders, waitlist promotions and retention purge (started by `start`). */
  registrationScheduler: RegistrationScheduler;
  /** Broadcasts: planner, admin operations and the sending engine. */
  broadcasts: BroadcastService;
  /** Requests a channel refused, by "channel:reason" (exported on /metrics). */
  rejected: Map<string, number>;
  welcome(locale: Locale): OutboundMessage;
  /** Starts background work: recovery of pending events now and every `recoverEveryMs`. */
  start(recoverEveryMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens storage and coordination, loads content, wires channels, adapter, bot and inbox. */
export async function createServices(
  config: Readonly<Config>,
  options: ServiceOptions = {},
): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? createLogger(config.logLevel);
  const content = loadContent(config.contentDir);
  const quizBank = loadQuizBank(config.contentDir, content.edition.year);
  const places = PlaceDirectory.load(config.contentDir);
  const t = createTranslator(path.join(ROOT, 'locales'));
  const store = await openStore({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
  });
  let coord: Coordinator;
  try {
    coord = config.redisUrl
      ? new RedisCoordinator(await connectRedis(config.redisUrl))
      : new MemoryCoordinator(() => clock.now());
  } catch (error) {
    await store.close();
    throw new Error(
      `REDIS_URL: Redis does not answer (${(error as Error).message}); start Redis or unset REDIS_URL.`,
      { cause: error },
    );
  }
  const keys = makeKeys(options.keyPrefix);
  const contacts = new ContactsRepo(store.db);
  const inboxRepo = new InboxRepo(store.db, (fn) => store.durably(fn));
  const kv = new KvRepo(store.db);

  const channels = new Map<ChannelId, Channel>();
  const simulator = config.simulator ? new SimulatorChannel(clock) : undefined;
  if (simulator) channels.set('simulator', simulator);
  const platform =
    options.channels ?? platformChannels(config, { clock, coord, keys, kv, contacts, log });
  for (const channel of platform) channels.set(channel.id, channel);

  const storage =
    coord instanceof RedisCoordinator
      ? new RedisBotStorage(coord.client, keys.botState)
      : new SqlBotStorage(store.db, () => clock.now());
  const conversationState = new ConversationState(storage);
  const registration = new RegistrationService({
    db: store.db,
    content,
    clock,
    t,
    contacts,
    timezone: config.timezone,
    retentionDays: config.retentionDaysAfterEdition,
    log,
    // The key botbuilder's ConversationState uses for a conversation.
    forgetConversation: (channel, userId) =>
      storage.delete([`${channel}/conversations/${userId}/`]),
  });
  const quiz = new QuizService(store.db, quizBank);
  const nominations = new NominationService(store.db);
  const flowServices = {
    content,
    store,
    t,
    contacts,
    clock,
    timezone: config.timezone,
    registration,
    quiz,
    nominations,
    places,
  };
  const features = allFeatures(flowServices);
  const bot = new LearningWeekBot(flowServices, conversationState, features);
  const adapter = new ChatAdapter(channels);
  adapter.onTurnError = async (context, error) => {
    const channel = context.activity.channelId as ChannelId;
    if (error instanceof ChannelError && error.permanent) {
      // The platform will not deliver anything to this person now: an apology would fail too.
      log.warn(
        { code: error.code, platformCode: error.platformCode, channel },
        'reply refused by the platform',
      );
      if (error instanceof RecipientUnreachableError) {
        // Blocked or gone: stop announcements until they write again.
        await contacts
          .setFollowed(channel, context.activity.conversation.id, false)
          .catch((e: unknown) => {
            log.error({ err: e, channel }, 'could not mark an unreachable contact');
          });
      }
      return;
    }
    log.error({ err: error, channel }, 'turn error');
    const locale: Locale = context.activity.locale?.startsWith('en') ? 'en' : 'vi';
    try {
      await context.sendActivity(t(locale, 'common:error'));
    } catch (sendError) {
      log.warn({ err: sendError, channel }, 'could not tell the user about the error');
    }
  };
  const receiptListeners: ReceiptListener[] = [];
  const processor = createProcessor({
    contacts,
    clock,
    adapter,
    turn: (context) => bot.run(context),
    receiptListeners,
    agentPauseMs: config.agentPauseMinutes * 60_000,
  });
  const broadcasts = new BroadcastService(
    {
      store,
      contacts,
      channels,
      coord,
      keys,
      clock,
      log,
      config: config.broadcast,
      timezone: config.timezone,
    },
    options.broadcastEngine,
  );
  receiptListeners.push(broadcasts.onReceipt);
  // Segments of people registered for a course or session read the registrations table.
  broadcasts.registrations = (filter) => registration.registrants(filter);
  const inbox = new Inbox({ repo: inboxRepo, coord, keys, clock, log, process: processor });
  const registrationScheduler = new RegistrationScheduler({
    service: registration,
    adapter,
    clock,
    log,
  });

  let timer: NodeJS.Timeout | undefined;
  const welcome = (locale: Locale): OutboundMessage => welcomeMessage(t, content, locale, features);

  return {
    config,
    clock,
    log,
    store,
    coord,
    keys,
    content,
    t,
    contacts,
    inboxRepo,
    kv,
    inbox,
    adapter,
    bot,
    channels,
    simulator,
    receiptListeners,
    registration,
    quiz,
    nominations,
    registrationScheduler,
    broadcasts,
    rejected: new Map(),
    welcome,
    async start(recoverEveryMs = 30_000) {
      await inbox.recover();
      timer = setInterval(() => {
        inbox
          .recover()
          .catch((error: unknown) => log.error({ err: error }, 'inbox recovery failed'));
      }, recoverEveryMs);
      timer.unref();
      registrationScheduler.start();
      broadcasts.start();
    },
    async close() {
      if (timer) clearInterval(timer);
      await broadcasts.close();
      await registrationScheduler.stop();
      await inbox.close();
      for (const channel of channels.values()) await channel.close?.();
      await coord.close();
      await store.close();
    },
  };
}
