import type { Clock, TimerHandle } from './clock.ts';

/**
 * A ticker phased from its start (ticks at start + k·interval, as a Go time.Ticker made then) that holds a timer only
 * while armed. livekit-server's per-room tickers do nothing on an idle room; a timer per idle room is what the
 * mock would pay for them (thousands of rooms on the fast preset's 100–200 ms intervals cost more than dispatching).
 */
export class PhasedTicker {
  readonly #startMs: number;
  #timer?: TimerHandle;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly onTick: () => void,
  ) {
    this.#startMs = clock.now();
  }

  /** The next tick calls onTick once; arming again before it changes nothing. */
  arm(): void {
    if (this.#timer) return;
    const sinceStart = this.clock.now() - this.#startMs;
    const dueInMs = this.intervalMs > 0 ? (Math.floor(sinceStart / this.intervalMs) + 1) * this.intervalMs - sinceStart : 0;
    this.#timer = this.clock.setTimer(dueInMs, () => {
      this.#timer = undefined;
      this.onTick();
    });
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
