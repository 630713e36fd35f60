import { RoomAgentDispatch } from '@livekit/protocol';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { ScenarioStepError } from '../errors.ts';
import type { AgentDispatchSpec } from '../model.ts';

/**
 * The Twirp calls a scenario makes, through the official server SDK so the requests are the ones users send.
 * The mock records its own api.call events; for other targets the harness records them, so every
 * report shows the API lane.
 */
export class ServerApi {
  readonly #rooms: RoomServiceClient;
  readonly #dispatch: AgentDispatchClient;

  constructor(
    private readonly target: LiveKitTarget,
    private readonly recordCalls: boolean,
  ) {
    this.#rooms = new RoomServiceClient(target.httpUrl, target.apiKey, target.apiSecret);
    this.#dispatch = new AgentDispatchClient(target.httpUrl, target.apiKey, target.apiSecret);
  }

  createRoom(o: { name: string; agents?: AgentDispatchSpec[]; metadata?: string; emptyTimeout?: number; departureTimeout?: number }) {
    const agents = o.agents?.map((a) => new RoomAgentDispatch({ agentName: a.agentName, metadata: a.metadata ?? '' }));
    return this.#call('RoomService', 'CreateRoom', o.name, () =>
      this.#rooms.createRoom({ name: o.name, agents, metadata: o.metadata, emptyTimeout: o.emptyTimeout, departureTimeout: o.departureTimeout }),
    );
  }

  deleteRoom(room: string) {
    return this.#call('RoomService', 'DeleteRoom', room, () => this.#rooms.deleteRoom(room));
  }

  removeParticipant(room: string, identity: string) {
    return this.#call('RoomService', 'RemoveParticipant', room, () => this.#rooms.removeParticipant(room, identity));
  }

  async createDispatch(room: string, agentName: string, metadata?: string): Promise<string> {
    const d = await this.#call('AgentDispatchService', 'CreateDispatch', room, () => this.#dispatch.createDispatch(room, agentName, { metadata }));
    return d.id;
  }

  /** Not recorded: a read that a step polls, so how often it ran says nothing about the server. */
  async listDispatch(room: string) {
    try {
      return await this.#dispatch.listDispatch(room);
    } catch (e) {
      const err = e as { status?: number; code?: string; message?: string };
      throw new ScenarioStepError(`ListDispatch ${room} failed: ${err.status ?? ''} ${err.code ?? ''} ${err.message ?? String(e)}`.replace(/\s+/g, ' '));
    }
  }

  deleteDispatch(room: string, dispatchId: string) {
    return this.#call('AgentDispatchService', 'DeleteDispatch', room, () => this.#dispatch.deleteDispatch(dispatchId, room));
  }

  async #call<T>(service: string, method: string, room: string, fn: () => Promise<T>): Promise<T> {
    try {
      const out = await fn();
      if (this.recordCalls) this.target.trace.record({ kind: 'api.call', service: `livekit.${service}`, method, status: 200, room });
      return out;
    } catch (e) {
      const err = e as { status?: number; code?: string; message?: string };
      if (this.recordCalls) this.target.trace.record({ kind: 'api.call', service: `livekit.${service}`, method, status: err.status ?? 0, code: err.code, room });
      throw new ScenarioStepError(`${method} ${room} failed: ${err.status ?? ''} ${err.code ?? ''} ${err.message ?? String(e)}`.replace(/\s+/g, ' '));
    }
  }
}
