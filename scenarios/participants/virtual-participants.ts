import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { labRequest } from '../lab-control.ts';
import type { ParticipantDriver, ParticipantJoin } from './participant-driver.ts';

const path = (room: string, identity?: string) =>
  `/rooms/${encodeURIComponent(room)}/participants${identity ? `/${encodeURIComponent(identity)}` : ''}`;

/** The mock's virtual participants: a join, a publish and a leave through the control API, no media. */
export class VirtualParticipants implements ParticipantDriver {
  readonly name = 'virtual (mock control API)';
  readonly canPublish = true;

  constructor(private readonly target: LiveKitTarget) {}

  async join(p: ParticipantJoin): Promise<void> {
    const kind = p.kind === 'standard' ? undefined : p.kind;
    await labRequest(this.target, 'POST', path(p.room), {
      identity: p.identity,
      name: p.name,
      metadata: p.metadata,
      attributes: p.attributes,
      kind,
      roomAgents: p.agents?.map((a) => ({ agentName: a.agentName, metadata: a.metadata ?? '' })),
    });
  }

  async publish(room: string, identity: string, track: 'audio' | 'video'): Promise<void> {
    await labRequest(this.target, 'POST', `${path(room, identity)}/publish`, { type: track });
  }

  async leave(room: string, identity: string): Promise<void> {
    await labRequest(this.target, 'DELETE', path(room, identity));
  }

  async close(): Promise<void> {}
}
