/** Time source for the protocol core. The real one wraps Date/setTimeout; tests inject a ManualClock. */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Resolves after `ms` on this clock. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  sleep(ms) {
    return new Promise((resolve) => {
      // setTimeout clamps 0 to 1 ms; a zero wait (the fast preset's claim delay) only needs to yield to the event loop.
      // The immediate stays ref'd: an unref'd one lets the loop block in poll until some other event arrives.
      if (ms <= 0) return void setImmediate(resolve);
      const t = setTimeout(resolve, ms);
      t.unref?.();
    });
  },
};

interface PendingTimer {
  due: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

/** A virtual clock: time moves only when `advance` is called, so timeouts run without waiting. */
export class ManualClock implements Clock {
  #now: number;
  #timers: PendingTimer[] = [];
  #order = 0;

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer: PendingTimer = { due: this.#now + Math.max(0, ms), order: this.#order++, fn, cancelled: false };
    this.#timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  /** Timers set and neither fired nor cancelled: what an idle server holds. */
  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward, firing due timers in order and letting promise continuations run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.#timers
        .filter((t) => !t.cancelled && t.due <= target)
        .sort((a, b) => a.due - b.due || a.order - b.order)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = next.due;
      next.fn();
    }
    this.#now = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
