import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { BroadcastService } from './broadcast/service.js';
import type { EngineOptions } from './broadcast/engine.js';
import { campaignWelcome } from '../flows/campaigns.js';
import { welcomeMessage } from '../flows/menu.js';
import { campaignRefOf } from './campaigns/model.js';
import { CampaignService } from './campaigns/service.js';
import { platformChannels } from './channels/registry.js';
import { SimulatorChannel } from './channels/simulator/channel.js';
import type { Config } from './config.js';
import { localNow } from './content/calendar.js';
import { loadContent, type Content } from './content/load.js';
import type { Channel } from './core/channel.js';
import { systemClock, type Clock } from './core/clock.js';
import { retryDeadline } from './core/delivery-policy.js';
import type { ChannelId, Locale, OutboundMessage } from './core/events.js';
import { Inbox } from './core/inbox.js';
import { OutboxSender, type OutboxOptions } from './core/outbox.js';
import type { ReceiptListener } from './core/processor.js';
import { conversationStateKey, type TurnOutcome } from './core/turn-outcome.js';
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
import { SqlBotStorage } from './store/bot-state-storage.js';
import { ContactsRepo } from './store/contacts-repo.js';
import { openStore, type Store } from './store/db.js';
import { InboxRepo } from './store/inbox-repo.js';
import { KvRepo } from './store/kv-repo.js';
import { OutboxRepo, type ClaimedOutbox, type NewOutboxRow } from './store/outbox-repo.js';
import { commitTurn } from './store/turn-commit.js';
import type { TurnEngine } from './turn-engine.js';
import { Metrics } from './web/metrics.js';

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
  /** Outbox sender tuning (tests shorten the poll and the backoff). */
  outbox?: Partial<OutboxOptions>;
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
  outboxRepo: OutboxRepo;
  /** Delivers every outbound message (replies, notices, proactive turns). */
  outbox: OutboxSender;
  metrics: Metrics;
  /**
   * The dialog side of turns (adapter, bot, features), built on first need: `start` begins
   * loading it, so the server answers webhooks while the Bot Framework SDK loads.
   */
  engine(): Promise<TurnEngine>;
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
  /** Platform warnings by `channel:kind` (llw_platform_warnings_total). */
  warnings: Map<string, number>;
  welcome(locale: Locale): Promise<OutboundMessage>;
  /** Campaign sources: links, QR codes, posters, arrivals and figures. */
  campaigns: CampaignService;
  /** The welcome for a deep link's reference (counted), or undefined for the plain welcome. */
  linkWelcome(
    channel: ChannelId,
    userId: string,
    linkValue: string,
    locale: Locale,
  ): Promise<OutboundMessage | undefined>;
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
  const content = loadContent(config.contentDir, {
    refuseSamples: config.env === 'production' && !config.allowDemonstrationContent,
    allowSetting: 'ALLOW_DEMONSTRATION_CONTENT',
  });
  const quizBank = loadQuizBank(config.contentDir, content.edition.year);
  const places = PlaceDirectory.load(config.contentDir);
  const t = createTranslator(path.join(ROOT, 'locales'));
  const store = await openStore({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
    checkpointIntervalMs: config.sqliteCheckpointSeconds * 1000,
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
  const keys = makeKeys(options.keyPrefix ?? config.redisKeyPrefix);
  const contacts = new ContactsRepo(store.db, store.write);
  const inboxRepo = new InboxRepo(store.db, (fn) => store.durably(fn));
  const kv = new KvRepo(store.db);

  const channels = new Map<ChannelId, Channel>();
  const simulator = config.simulator ? new SimulatorChannel(clock) : undefined;
  if (simulator) channels.set('simulator', simulator);
  const platform =
    options.channels ?? platformChannels(config, { clock, coord, keys, kv, contacts, log });
  for (const channel of platform) channels.set(channel.id, channel);

  const metrics = new Metrics();
  const outboxRepo = new OutboxRepo(store.db, store.write);
  const outbox = new OutboxSender(
    { repo: outboxRepo, channels, contacts, clock, log, metrics, dialect: store.dialect },
    { leaseMs: config.outboxLeaseSeconds * 1000, ...options.outbox },
  );
  // Dialog state lives beside the inbox and the outbox, so a turn commits all three at once.
  const storage = new SqlBotStorage(store.db, () => clock.now());
  const registration = new RegistrationService({
    db: store.db,
    content,
    clock,
    t,
    contacts,
    timezone: config.timezone,
    retentionDays: config.retentionDaysAfterEdition,
    log,
    forgetConversation: (channel, userId) =>
      storage.delete([conversationStateKey(channel, userId)]),
    scrubDisk: (when) => (when === 'now' ? store.scrub() : store.scrubSoon()),
    outbox: {
      enqueue: (row, db) =>
        outboxRepo.enqueue([{ ...row, kind: 'notice', mode: 'proactive' }], clock.now(), db),
      flush: (conversation) => outbox.flush(conversation),
    },
  });
  const campaigns = new CampaignService({
    store,
    content,
    clock,
    contacts,
    config: config.campaigns,
    channels: () => new Set(channels.keys()),
    log,
  });
  outbox.onFinal('notice', (report) => registration.notices.onReport(report));
  const quiz = new QuizService(store.db, quizBank);
  const nominations = new NominationService(store.db);
  const flowServices = {
    campaigns,
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
  /** Outbox rows of a turn's messages, each with its platform window as retry deadline. */
  const rowsOf = (outcome: TurnOutcome, inboundAt: number | null): NewOutboxRow[] => {
    const now = clock.now();
    return outcome.messages.map((m) => ({
      channel: m.channel,
      userId: m.userId,
      kind: m.mode === 'reply' ? 'reply' : 'proactive',
      mode: m.mode,
      message: m.message,
      deadline: retryDeadline(m.channel, inboundAt, now),
    }));
  };
  const kickAll = (outcome: TurnOutcome) => {
    for (const conversation of new Set(outcome.messages.map((m) => `${m.channel}:${m.userId}`)))
      outbox.kick(conversation);
  };
  const receiptListeners: ReceiptListener[] = [];
  let engineLoad: Promise<TurnEngine> | undefined;
  const engine = (): Promise<TurnEngine> =>
    (engineLoad ??= import('./turn-engine.js').then(
      ({ buildTurnEngine }) =>
        buildTurnEngine({
          flows: flowServices,
          storage,
          channels: new Set(channels.keys()),
          log,
          receiptListeners,
          agentPauseMs: config.agentPauseMinutes * 60_000,
          firstPending: (conversation) => inboxRepo.firstPending(conversation),
          commitProactive: async (outcome) => {
            await commitTurn(
              store.db,
              outboxRepo,
              { status: 'done', state: outcome.state, messages: rowsOf(outcome, null) },
              clock.now(),
              store.write,
            );
            // A bot-initiated turn resolves once its messages were tried (callers report on them).
            await Promise.all(
              [...new Set(outcome.messages.map((m) => `${m.channel}:${m.userId}`))].map((c) =>
                outbox.flush(c),
              ),
            );
          },
        }),
      (error: unknown) => {
        engineLoad = undefined; // the next turn tries again
        throw error;
      },
    ));
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
  const rejected = new Map<string, number>();
  const inbox = new Inbox({
    repo: inboxRepo,
    // SQLite without Redis is one process by design: its own records are all there is to run.
    singleProcess: store.dialect === 'sqlite' && !config.redisUrl,
    // The processor confirms each turn's order in the contact upsert (core/processor.ts).
    confirmsOrder: true,
    coord,
    keys,
    clock,
    log,
    process: async (event, outcome) => {
      const started = performance.now();
      try {
        await (await engine()).process(event, outcome);
      } finally {
        metrics.observe(
          'llw_turn_duration_seconds',
          'Time a turn takes (bookkeeping, dialogs), without the sends.',
          { channel: event.channel },
          (performance.now() - started) / 1000,
        );
      }
    },
    onRefused: (channel, n) =>
      rejected.set(`${channel}:poison`, (rejected.get(`${channel}:poison`) ?? 0) + n),
    commit: async (row, status, outcome) => {
      const started = clock.now();
      const messages = rowsOf(outcome, row.event.timestamp || started);
      // A reply to one person (the usual turn) is claimed by its commit and sent right after it.
      const conversations = new Set(messages.map((m) => `${m.channel}:${m.userId}`));
      const [only] = conversations;
      const claimFirst = conversations.size === 1 && outbox.reserve(only!);
      let claimed: ClaimedOutbox | undefined;
      try {
        claimed = await commitTurn(
          store.db,
          outboxRepo,
          { inboxId: row.id, status, state: outcome.state, messages, claimFirst },
          started,
          store.write,
        );
      } catch (error) {
        if (claimFirst) outbox.claimed(only!, undefined, false);
        throw error;
      }
      if (claimFirst) outbox.claimed(only!, claimed);
      else kickAll(outcome);
    },
    deliver: (conversation) => outbox.flush(conversation),
    deliveriesIdle: () => outbox.idle(),
  });
  const registrationScheduler = new RegistrationScheduler({
    service: registration,
    clock,
    log,
  });

  let timer: NodeJS.Timeout | undefined;
  const welcome = async (locale: Locale): Promise<OutboundMessage> =>
    welcomeMessage(
      t,
      content,
      locale,
      (await engine()).features,
      localNow(clock.now(), config.timezone).date,
    );
  const linkWelcome = async (
    channel: ChannelId,
    userId: string,
    linkValue: string,
    locale: Locale,
  ): Promise<OutboundMessage | undefined> => {
    if (campaignRefOf(linkValue) === undefined) return undefined;
    const { target } = await campaigns.arrive(channel, userId, linkValue);
    return target
      ? campaignWelcome(
          { t, content, features: (await engine()).features },
          target,
          locale,
          localNow(clock.now(), config.timezone).date,
        )
      : undefined;
  };

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
    outboxRepo,
    outbox,
    metrics,
    engine,
    channels,
    simulator,
    receiptListeners,
    registration,
    quiz,
    nominations,
    registrationScheduler,
    broadcasts,
    rejected,
    warnings: new Map(),
    welcome,
    campaigns,
    linkWelcome,
    async start(recoverEveryMs = 30_000) {
      await outbox.poll();
      outbox.start();
      await inbox.recover();
      timer = setInterval(() => {
        inbox
          .recover()
          .catch((error: unknown) => log.error({ err: error }, 'inbox recovery failed'));
      }, recoverEveryMs);
      timer.unref();
      registrationScheduler.start();
      broadcasts.start();
      // Load the dialog side now rather than on the first message, once the server listens.
      engine().catch((error: unknown) => log.error({ err: error }, 'loading the dialogs failed'));
    },
    async close() {
      if (timer) clearInterval(timer);
      await broadcasts.close();
      await registrationScheduler.stop();
      await inbox.close();
      await outbox.close();
      for (const channel of channels.values()) await channel.close?.();
      await coord.close();
      await store.close();
    },
  };
}
