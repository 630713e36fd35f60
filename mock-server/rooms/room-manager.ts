import { DisconnectReason, ParticipantInfo_State, type CreateRoomRequest, type DataPacket, type DataPacket_Kind, type ParticipantPermission, type RoomAgentDispatch, type TrackInfo } from '@livekit/protocol';
import type { AgentCoreContext } from '../agent/agent-context.ts';
import type { TimerHandle } from '../core/clock.ts';
import { PhasedTicker } from '../core/phased-ticker.ts';
import type { DispatchSource } from '../trace/events.ts';
import type { DispatchInput, DispatchPolicy } from '../dispatch/dispatch-policy.ts';
import { Participant, type JoinSpec } from './participant.ts';
import { Room, type DispatchRecord } from './room.ts';
import type { RoomEvent, RoomEventListener } from './room-events.ts';
import { RoomSnapshot } from './room-snapshot.ts';

export type RoomCreateSpec = Pick<CreateRoomRequest, 'name' | 'emptyTimeout' | 'departureTimeout' | 'maxParticipants' | 'metadata'> & {
  agents: RoomAgentDispatch[];
};

/**
 * Live rooms and their lifecycle (roommanager.go + room.go): creation with its dispatches, participants,
 * the idle-close ticker and closing. Signalling subscribes to RoomEvents to tell clients.
 */
export class RoomManager {
  readonly #rooms = new Map<string, Room>();
  readonly #listeners = new Set<RoomEventListener>();
  /** Each room's participant-update ticker (room.go changeUpdateWorker), phased from the room's creation. */
  readonly #updateTickers = new Map<Room, PhasedTicker>();
  #ticker?: TimerHandle;

  constructor(
    private readonly ctx: AgentCoreContext,
    private readonly policy: DispatchPolicy,
  ) {
    this.#scheduleTick();
  }

  onEvent(listener: RoomEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(name: string): Room | undefined {
    return this.#rooms.get(name);
  }

  list(names: string[] = []): Room[] {
    const all = [...this.#rooms.values()];
    return names.length ? all.filter((r) => names.includes(r.name)) : all;
  }

  /** getOrCreateRoom (roommanager.go): an existing room is returned unchanged; its request, agents included, is ignored. */
  getOrCreate(spec: RoomCreateSpec, via: DispatchSource): { room: Room; created: boolean } {
    const existing = this.#rooms.get(spec.name);
    if (existing) return { room: existing, created: false };
    const { timing, clock, ids, trace } = this.ctx;
    const room = new Room(
      ids.next('RM_'),
      {
        name: spec.name,
        emptyTimeoutSec: spec.emptyTimeout > 0 ? spec.emptyTimeout : timing.emptyTimeoutSec,
        departureTimeoutSec: spec.departureTimeout > 0 ? spec.departureTimeout : timing.departureTimeoutSec,
        maxParticipants: spec.maxParticipants,
        metadata: spec.metadata,
      },
      clock.now(),
    );
    room.snapshot = new RoomSnapshot(clock, timing.roomUpdateIntervalMs, () => room.liveProto(), () => this.#emit({ type: 'room_updated', room }));
    this.#rooms.set(room.name, room);
    this.#updateTickers.set(room, new PhasedTicker(clock, timing.participantUpdateIntervalMs, () => this.#flushUpdates(room)));
    trace.record({ kind: 'room.created', room: room.name, roomSid: room.sid, via });
    this.policy.roomCreated(room, spec.agents, via);
    return { room, created: true };
  }

  addDispatch(room: Room, ad: DispatchInput): DispatchRecord {
    return this.policy.dispatchAdded(room, ad);
  }

  /** Removes the dispatch at once; its jobs are terminated in the background. Undefined if unknown. */
  deleteDispatch(room: Room, dispatchId: string): DispatchRecord | undefined {
    const record = room.dispatches.get(dispatchId);
    if (!record) return undefined;
    room.dispatches.delete(dispatchId);
    this.ctx.trace.record({ kind: 'dispatch.deleted', room: room.name, dispatchId, agentName: record.dispatch.agentName });
    void this.policy.dispatchDeleted(room, record, (identity) => this.removeParticipant(room, identity, DisconnectReason.PARTICIPANT_REMOVED));
    return record;
  }

  join(room: Room, spec: JoinSpec): Participant {
    const now = this.ctx.clock.now();
    const previous = room.participants.get(spec.identity);
    if (previous) this.removeParticipant(room, spec.identity, DisconnectReason.DUPLICATE_IDENTITY);
    const p = new Participant(this.ctx.ids.next('PA_'), spec, now);
    room.participants.set(p.identity, p);
    if (!p.isDependent && room.firstJoinedAtMs === 0) room.firstJoinedAtMs = now;
    this.ctx.trace.record({
      kind: 'participant.joined',
      room: room.name,
      identity: p.identity,
      participantSid: p.sid,
      participantKind: p.toProto().kind.toString(),
      virtual: !!spec.virtual,
    });
    this.policy.participantJoined(room, p);
    this.#emit({ type: 'participant_joined', room, participant: p });
    // no client is told yet: others learn of the participant from its JOINED update (joinResponseSent)
    room.snapshot?.markDirty(false);
    return p;
  }

  /** The JoinResponse is out: JOINING → JOINED, and the room hears of it (batched: it publishes nothing yet). */
  joinResponseSent(room: Room, participant: Participant): void {
    this.#advanceState(room, participant, ParticipantInfo_State.JOINED);
  }

  /** The participant's connection is live (ICE up, or a virtual participant): → ACTIVE. */
  markActive(room: Room, participant: Participant): void {
    this.#advanceState(room, participant, ParticipantInfo_State.ACTIVE);
  }

  /** A published track; the first one in this session launches JT_PUBLISHER jobs. */
  publishTrack(room: Room, participant: Participant, track: TrackInfo): boolean {
    participant.tracks.push(track);
    participant.markChanged();
    const first = !participant.publishedOnce;
    participant.publishedOnce = true;
    this.ctx.trace.record({ kind: 'participant.published', room: room.name, identity: participant.identity, trackSid: track.sid, first });
    if (first) this.policy.firstTrackPublished(room, participant);
    room.snapshot?.markDirty(false); // numPublishers
    this.#emit({ type: 'participant_updated', room, participant });
    // onTrackPublished: not to the publisher itself; a publisher's update is never batched
    this.#broadcast(room, participant, { skipSource: true, immediate: false });
    return first;
  }

  /** The publisher stopped sending a track (its m-section no longer sends): it leaves ParticipantInfo.tracks. */
  unpublishTrack(room: Room, participant: Participant, trackSid: string): boolean {
    const i = participant.tracks.findIndex((t) => t.sid === trackSid);
    if (i < 0) return false;
    participant.tracks.splice(i, 1);
    participant.markChanged();
    room.snapshot?.markDirty(false);
    this.#broadcast(room, participant, { skipSource: true, immediate: false });
    return true;
  }

  /**
   * Name, metadata, attributes (participant.go UpdateMetadata: SetName, SetMetadata, SetAttributes in turn, for
   * signal requests and Twirp UpdateParticipant alike): each change is its own update, sent to everyone at once
   * (onParticipantUpdate, immediate); an unchanged name or metadata, or no attributes, is no change. An empty
   * `change` is a track update (mute): sent like any other participant update.
   */
  updateParticipant(room: Room, participant: Participant, change: { name?: string; metadata?: string; attributes?: Record<string, string> }): void {
    if (change.name === undefined && change.metadata === undefined && change.attributes === undefined) {
      participant.markChanged();
      this.ctx.trace.record({ kind: 'participant.updated', room: room.name, identity: participant.identity });
      return this.#broadcast(room, participant, { skipSource: false, immediate: false });
    }
    const steps: (() => boolean)[] = [
      () => change.name !== undefined && change.name !== participant.name && ((participant.name = change.name), true),
      () => change.metadata !== undefined && change.metadata !== participant.metadata && ((participant.metadata = change.metadata), true),
      () => {
        if (!change.attributes || !Object.keys(change.attributes).length) return false;
        for (const [k, v] of Object.entries(change.attributes)) {
          if (v === '') delete participant.attributes[k];
          else participant.attributes[k] = v;
        }
        return true;
      },
    ];
    let changed = false;
    for (const step of steps) {
      if (!step()) continue;
      changed = true;
      this.#participantUpdated(room, participant);
    }
    if (changed) this.ctx.trace.record({ kind: 'participant.updated', room: room.name, identity: participant.identity });
  }

  /** SetPermission (Twirp UpdateParticipant): an unchanged permission is no change; a change is sent at once. */
  updatePermission(room: Room, participant: Participant, permission: ParticipantPermission): void {
    if (participant.permission.equals(permission)) return;
    participant.permission = permission;
    this.#participantUpdated(room, participant);
  }

  /** onParticipantUpdate: the room's counts may change; everyone, the participant too, hears of it at once. */
  #participantUpdated(room: Room, participant: Participant): void {
    participant.markChanged();
    this.#emit({ type: 'participant_updated', room, participant });
    room.snapshot?.markDirty(false);
    this.#broadcast(room, participant, { skipSource: false, immediate: true });
  }

  /** Room.SetMetadata: an immediate refresh of the cached Room, so the answer and the RoomUpdate carry it. */
  updateRoomMetadata(room: Room, metadata: string): void {
    room.settings.metadata = metadata;
    room.version++;
    this.ctx.trace.record({ kind: 'room.updated', room: room.name, metadata });
    room.snapshot?.markDirty(true);
  }

  /**
   * A data packet in the room. Virtual senders (the SIP bridge) call it with relayed=false so the signalling
   * layer delivers it; the signalling layer reports what it relayed (relayed=true) so virtual receivers see it.
   */
  publishData(room: Room, from: Participant | undefined, kind: DataPacket_Kind, packet: DataPacket, relayed = false): void {
    this.#emit({ type: 'data', room, from, kind, packet, relayed });
  }

  /**
   * participant.go setTrackMuted: a published track's muted flag (a muted publication forwards nothing); the room
   * hears of it as a participant update. From an admin (Twirp MutePublishedTrack) the publisher is told first.
   * Returns the track, or undefined when the participant publishes no such track.
   */
  muteTrack(room: Room, participant: Participant, trackSid: string, muted: boolean, fromAdmin: boolean): TrackInfo | undefined {
    const track = participant.tracks.find((t) => t.sid === trackSid);
    if (fromAdmin) this.#emit({ type: 'track_muted_by_admin', room, participant, trackSid, muted });
    if (!track) return undefined;
    if (track.muted !== muted) {
      track.muted = muted;
      this.updateParticipant(room, participant, {});
    }
    return track;
  }

  /** Room.UpdateSubscriptions (Twirp): the participant's connection applies it. */
  requestSubscriptions(room: Room, participant: Participant, trackSids: string[], subscribe: boolean): void {
    this.#emit({ type: 'subscriptions_requested', room, participant, trackSids, subscribe });
  }

  /** Server-initiated removal (RemoveParticipant, room close): the client is told to leave, then it is gone. */
  removeParticipant(room: Room, identity: string, reason: DisconnectReason): boolean {
    const p = room.participants.get(identity);
    if (!p) return false;
    this.#emit({ type: 'participant_removed', room, participant: p, reason });
    this.participantLeft(room, identity, reason);
    return true;
  }

  /** The participant is gone (its own leave, socket loss, or removal). */
  participantLeft(room: Room, identity: string, reason: DisconnectReason = DisconnectReason.CLIENT_INITIATED): void {
    const p = room.participants.get(identity);
    if (!p) return;
    room.participants.delete(identity);
    room.lastLeftAtMs = this.ctx.clock.now();
    p.state = ParticipantInfo_State.DISCONNECTED;
    p.disconnectReason = reason;
    p.markChanged();
    this.ctx.trace.record({ kind: 'participant.left', room: room.name, identity, participantSid: p.sid, reason: DisconnectReason[reason] ?? String(reason) });
    this.#emit({ type: 'participant_left', room, participant: p });
    room.snapshot?.markDirty(false);
    // the DISCONNECTED update waits for the ticker unless the participant was publishing
    this.#broadcast(room, p, { skipSource: true, immediate: false });
    this.policy.agentLeft(room, identity);
  }

  /** Room.Close: every participant is removed (agents' jobs terminate through that), then the room is gone. */
  close(room: Room, reason: DisconnectReason): void {
    if (room.closed) return;
    // batched updates go out first (a leave the ticker still holds): on the real server the 20 s departure timeout
    // always outlasts the 3 s batch; a fast preset can close the room inside one
    const pending = room.updateQueue.flush();
    if (pending.length) this.#emit({ type: 'participant_updates', room, updates: pending });
    for (const identity of [...room.participants.keys()]) this.removeParticipant(room, identity, reason);
    room.closed = true;
    this.#stopRoomTimers(room);
    this.#rooms.delete(room.name);
    this.ctx.trace.record({ kind: 'room.closed', room: room.name, roomSid: room.sid, reason: DisconnectReason[reason] ?? String(reason) });
    this.#emit({ type: 'room_closed', room, reason });
  }

  stop(): void {
    this.#ticker?.cancel();
    for (const room of this.#rooms.values()) this.#stopRoomTimers(room);
  }

  /** updateState: states only move forward; each step is a (batched) update for the room, not for the participant itself. */
  #advanceState(room: Room, participant: Participant, state: ParticipantInfo_State): void {
    if (participant.state >= state || room.participants.get(participant.identity) !== participant) return;
    participant.state = state;
    participant.markChanged();
    this.#broadcast(room, participant, { skipSource: true, immediate: false });
  }

  /**
   * room.go broadcastParticipantState: a hidden participant's updates go only to itself; others go through
   * the room's queue (publishers and immediate updates at once, the rest on the ticker). Unless skipSource,
   * the participant itself gets the update now when the queue held it back.
   */
  #broadcast(room: Room, p: Participant, opts: { skipSource: boolean; immediate: boolean }): void {
    const info = p.toProto();
    let selfSent = false;
    if (!p.permission.hidden) {
      const current = room.participants.get(p.identity);
      const updates = room.updateQueue.push(info, { immediate: opts.immediate, reason: p.disconnectReason, current: current && (() => current.toProto()) });
      if (updates.length) {
        selfSent = true;
        this.#emit({ type: 'participant_updates', room, updates });
      }
      if (room.updateQueue.size) this.#updateTickers.get(room)?.arm();
    }
    if (!opts.skipSource && !selfSent && room.participants.get(p.identity) === p) this.#emit({ type: 'participant_updates', room, updates: [info], only: p });
  }

  /** The room's subscriberUpdateInterval tick: what the queue held back goes out. */
  #flushUpdates(room: Room): void {
    if (room.closed) return;
    const updates = room.updateQueue.flush();
    if (updates.length) this.#emit({ type: 'participant_updates', room, updates });
  }

  #stopRoomTimers(room: Room): void {
    this.#updateTickers.get(room)?.stop();
    this.#updateTickers.delete(room);
    room.snapshot?.stop();
  }

  /** CloseIfEmpty, every roomCheckIntervalMs, with the real server's whole-second clock. */
  #scheduleTick(): void {
    this.#ticker = this.ctx.clock.setTimer(this.ctx.timing.roomCheckIntervalMs, () => {
      const nowSec = Math.floor(this.ctx.clock.now() / 1000);
      for (const room of [...this.#rooms.values()]) {
        if (room.humanCount > 0) continue;
        const departed = room.firstJoinedAtMs > 0 && room.lastLeftAtMs > 0;
        const since = Math.floor((departed ? room.lastLeftAtMs : room.creationTimeMs) / 1000);
        const timeout = departed ? room.settings.departureTimeoutSec : room.settings.emptyTimeoutSec;
        if (nowSec - since >= timeout) this.close(room, DisconnectReason.ROOM_CLOSED);
      }
      this.#scheduleTick();
    });
  }

  #emit(event: RoomEvent): void {
    for (const l of this.#listeners) l(event);
  }
}
