import type { AgentCoreContext } from '../agent/agent-context.ts';

/**
 * The agent client's CheckEnabled round (pkg/agent/client.go getDispatcher/checkEnabled, v1.13.5).
 *
 * LaunchJob iterates the cached "enabled namespaces" dispatcher to its end before it returns, and that
 * dispatcher only ends when its CheckEnabled multi-RPC does: psrpc cannot know how many nodes will answer,
 * so it waits the full CheckEnabledTimeout (5 s). The cache is rebuilt on the first launch after a worker
 * registers with a new key (PublishWorkerRegistered invalidates it) or after EnabledCacheTTL (1 min).
 * The job requests themselves go out at once, so workers see no delay; but the room only records the
 * launched jobs (dispatch state, and agentParticipants: which participant is which job's agent) once
 * LaunchJob has returned. Until then an agent leaving, being removed or its room closing terminates
 * nothing, and DeleteDispatch waits for the round before it terminates.
 */
export class EnabledCheck {
  #startedAt: number | undefined;
  #endsAt = 0;

  constructor(private readonly ctx: AgentCoreContext) {}

  /** A worker registered with a key no worker had: the next launch starts a new round. */
  invalidate(): void {
    this.#startedAt = undefined;
  }

  /** At each launch: starts a round if the cache is missing or stale; resolves when the round ends. */
  roundEnd(): Promise<void> {
    const now = this.ctx.clock.now();
    const { enabledCheckMs, enabledCacheTtlMs } = this.ctx.timing;
    if (this.#startedAt === undefined || now - this.#startedAt > enabledCacheTtlMs) {
      this.#startedAt = now;
      this.#endsAt = now + enabledCheckMs;
    }
    const left = this.#endsAt - now;
    return left > 0 ? this.ctx.clock.sleep(left) : Promise.resolve();
  }
}
