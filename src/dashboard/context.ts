import type { FastifyInstance } from 'fastify';
import { failureLimiter, type FailureLimiter } from '../admin/auth.js';
import { FaqService } from '../faq/service.js';
import { forgetQuestionIndex } from '../../flows/questions.js';
import type { Services } from '../services.js';
import { Accounts } from './accounts.js';
import { Approvals } from './approvals.js';
import { BroadcastDesk } from './desk.js';
import { Operations } from './operations.js';
import { ContentChanges } from './content-changes.js';
import { CourseChanges } from './course-changes.js';

/** What the admin API and the dashboard share: accounts, the FAQ, broadcasts with approval. */
export interface DashboardContext {
  accounts: Accounts;
  faq: FaqService;
  approvals: Approvals;
  desk: BroadcastDesk;
  ops: Operations;
  /** Events and contacts changed from the dashboard. */
  changes: ContentChanges;
  /** Courses and their sessions (seats included) changed from the dashboard. */
  courses: CourseChanges;
  /**
   * The one-time owner sign-in token made at this start (no owner and no ADMIN_TOKEN), handed
   * out once so the server can print it; undefined afterwards and when none was made.
   */
  takeFirstSignIn(): string | undefined;
  /** Failed sign-ins per client: 10 a minute (API tokens and the login form together). */
  failures: FailureLimiter;
}

/** How often stored FAQ, course, event and contact changes are read again (changes made by other processes). */
const REFRESH_MS = 15_000;

const contexts = new WeakMap<Services, Promise<DashboardContext>>();

/** The dashboard context of these services (built once: tokens bootstrapped, FAQ changes applied). */
export function dashboardContext(
  app: FastifyInstance,
  services: Services,
): Promise<DashboardContext> {
  let context = contexts.get(services);
  if (!context) {
    context = build(app, services);
    contexts.set(services, context);
  }
  return context;
}

async function build(app: FastifyInstance, services: Services): Promise<DashboardContext> {
  const now = () => services.clock.now();
  const accounts = new Accounts(services.store.db, now);
  let firstSignIn = await accounts.bootstrap(services.config.adminToken);
  const faq = new FaqService(services.store.db, services.content, now, forgetQuestionIndex);
  await faq.load();
  const approvals = new Approvals(services.store.db);
  const courses = new CourseChanges(
    services.store.db,
    services.kv,
    services.content,
    services.registration.repo,
    now,
  );
  await courses.load();
  const changes = new ContentChanges(services.store.db, services.content, now);
  await changes.load();
  const desk = new BroadcastDesk(
    services.broadcasts,
    approvals,
    accounts,
    services.clock,
    services.config.dashboard.approval,
  );
  // Other server processes' content changes arrive within this interval.
  const refresh = setInterval(() => {
    Promise.all([faq.load(), courses.load(), changes.load()]).catch((error: unknown) =>
      services.log.warn({ err: error }, 'could not refresh FAQ, course, event and contact changes'),
    );
  }, REFRESH_MS);
  refresh.unref();
  app.addHook('onClose', async () => clearInterval(refresh));
  return {
    accounts,
    faq,
    approvals,
    desk,
    ops: new Operations(services, accounts),
    changes,
    courses,
    takeFirstSignIn() {
      const token = firstSignIn;
      firstSignIn = undefined;
      return token;
    },
    failures: failureLimiter(app, 10, 60_000),
  };
}
