import { ConversationState, type Storage, type TurnContext } from 'botbuilder-core';
import { STORED_STATE } from './activities.js';
import { outcomeOf } from './turn-outcome.js';

interface Cached {
  state: Record<string, unknown>;
  /**
   * The state as JSON as it was stored, to tell at the end of the turn whether it changed (what
   * botbuilder's `calculateChangeHash` compares, without its SHA-256). The state is stored as this
   * same JSON, so what cannot be written here could not be stored either; a state read with the
   * contact is its stored text itself (JSON.stringify gives back the text JSON.parse read).
   */
  json: string;
}

/**
 * botbuilder's ConversationState whose writes and deletes inside a collected turn go into the
 * turn's outcome (committed with its inbox row and messages) instead of storage; outside one
 * (tools, tests) they write through. The outcome travels on the turn's context: no async
 * context tracking, whose promise hooks cost every promise of the process (about 4% of a turn).
 */
export class TurnConversationState extends ConversationState {
  private readonly cacheKey = Symbol('conversationState');

  constructor(private readonly store: Storage) {
    super(store);
  }

  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const kept = context.turnState.get<Cached | undefined>(this.cacheKey);
    if (kept && !force) return kept.state;
    const key = this.keyOf(context);
    // Read with the contact before the turn (processor.ts), once; a forced load reads again.
    const stored = context.turnState.get<{ key: string; doc: string | null } | undefined>(
      STORED_STATE,
    );
    context.turnState.delete(STORED_STATE);
    let cached: Cached;
    if (stored && stored.key === key && !force)
      cached =
        stored.doc === null
          ? { state: {}, json: '{}' }
          : { state: JSON.parse(stored.doc) as Record<string, unknown>, json: stored.doc };
    else {
      const items = await this.store.read([key]);
      const state = (items[key] as Record<string, unknown> | undefined) ?? {};
      cached = { state, json: JSON.stringify(state) };
    }
    context.turnState.set(this.cacheKey, cached);
    return cached.state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = context.turnState.get<Cached | undefined>(this.cacheKey);
    if (!cached) {
      if (!force) return;
    } else if (!force && cached.json === JSON.stringify(cached.state)) return;
    const state = cached?.state ?? {};
    state.eTag = '*';
    const key = this.keyOf(context);
    const outcome = outcomeOf(context);
    if (outcome) outcome.state.set(key, state);
    else await this.store.write({ [key]: state });
    context.turnState.set(this.cacheKey, { state, json: JSON.stringify(state) });
  }

  override clear(context: TurnContext): Promise<void> {
    context.turnState.set(this.cacheKey, { state: {}, json: '' });
    return Promise.resolve();
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.cacheKey);
    const key = this.keyOf(context);
    const outcome = outcomeOf(context);
    if (outcome) outcome.state.set(key, null);
    else await this.store.delete([key]);
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    return context.turnState.get<Cached | undefined>(this.cacheKey)?.state;
  }

  private keyOf(context: TurnContext): string {
    const key = this.getStorageKey(context);
    if (!key) throw new Error('the turn has no conversation to keep state for');
    return key;
  }
}
