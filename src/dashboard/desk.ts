import type { BroadcastInput } from '../broadcast/input.js';
import { BroadcastStateError, type BroadcastService } from '../broadcast/service.js';
import type { Broadcast } from '../broadcast/model.js';
import type { Plan } from '../broadcast/planner.js';
import type { Clock } from '../core/clock.js';
import type { Accounts, Actor } from './accounts.js';
import type { Approvals } from './approvals.js';

/** A broadcast needs a second person's approval before it can be sent. */
export class ApprovalNeededError extends BroadcastStateError {
  constructor(
    message: string,
    readonly refusal: 'needs-approval' | 'own' | 'already' | 'unknown',
  ) {
    super(message);
    this.name = 'ApprovalNeededError';
  }
}

/** What create/send/approve answer. */
export interface Queued {
  broadcast: Broadcast;
  plan: Plan;
  startsAt: number;
}

/**
 * Broadcasts as organisers run them (API and dashboard alike): every creation records who asked,
 * and with approval on nothing leaves a draft until someone else approves it. Sending goes
 * through the broadcast service's own state changes, so a double click queues once.
 */
export class BroadcastDesk {
  constructor(
    private readonly service: BroadcastService,
    private readonly approvals: Approvals,
    private readonly accounts: Accounts,
    private readonly clock: Clock,
    readonly approvalRequired: boolean,
  ) {}

  /** Creates a broadcast; with approval on it stays a draft whatever `dryRun` says. */
  async create(input: BroadcastInput, actor: Actor): Promise<Queued> {
    const held = this.approvalRequired || input.dryRun;
    const result = await this.service.create({ ...input, dryRun: held });
    await this.approvals.request(result.broadcast.id, actor.name, this.clock.now());
    await this.accounts.audit(actor, held ? 'broadcast.draft' : 'broadcast.create', {
      broadcast: result.broadcast.id,
      eligible: result.plan.eligible,
    });
    return result;
  }

  /** Queues a draft for sending (only when approved, with approval on). */
  async send(id: number, actor: Actor): Promise<Queued> {
    if (this.approvalRequired) {
      const approval = await this.approvals.get(id);
      if (!approval?.approvedBy)
        throw new ApprovalNeededError(
          `broadcast ${id} needs the approval of a second person before it is sent.`,
          'needs-approval',
        );
    }
    const result = await this.service.queue(id);
    await this.accounts.audit(actor, 'broadcast.send', { broadcast: id });
    return result;
  }

  /** Approves someone else's draft and queues it. */
  async approve(id: number, actor: Actor): Promise<Queued> {
    const outcome = await this.approvals.approve(id, actor.name, this.clock.now());
    if (outcome === 'own')
      throw new ApprovalNeededError('You cannot approve a broadcast you asked for.', 'own');
    if (outcome === 'already')
      throw new ApprovalNeededError(`broadcast ${id} is already approved.`, 'already');
    if (outcome === 'unknown')
      throw new ApprovalNeededError(`broadcast ${id} has no approval request.`, 'unknown');
    await this.accounts.audit(actor, 'broadcast.approve', { broadcast: id });
    const result = await this.service.queue(id);
    return result;
  }

  async cancel(id: number, actor: Actor): Promise<Broadcast> {
    const result = await this.service.cancel(id);
    await this.accounts.audit(actor, 'broadcast.cancel', { broadcast: id });
    return result;
  }

  async retry(id: number, actor: Actor): Promise<number> {
    const n = await this.service.retryFailed(id);
    await this.accounts.audit(actor, 'broadcast.retry', { broadcast: id, requeued: n });
    return n;
  }
}
