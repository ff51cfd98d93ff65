/** The time source; tests pass a clock they can set. */
export interface Clock {
  now(): number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (tests, benchmarks). */
export class ManualClock implements Clock {
  constructor(private time: number) {}
  now(): number {
    return this.time;
  }
  set(time: number | Date): void {
    this.time = typeof time === 'number' ? time : time.getTime();
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
