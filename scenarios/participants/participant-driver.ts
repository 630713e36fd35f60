import type { JoinSpec } from '../model.ts';

export interface ParticipantJoin extends Omit<JoinSpec, 'kind'> {
  /** The token's `kind` claim; agents joining from a protocol worker use "agent". */
  kind?: string;
  /** An agent joins with the token from its JobAssignment. */
  token?: string;
}

/** What a published track carries, beyond the default silence / black frames. */
export interface PublishOptions {
  /** Audio: a 440 Hz sine (energy a listener can count) instead of silence. */
  tone?: boolean;
  /** The tone's frequency (default 440 Hz): another one tells a listener this tone from an agent's own 440 Hz. */
  toneHz?: number;
  /** Video: a moving gradient at 15 fps (frames that differ, as a camera's do) instead of black frames at 10 fps. */
  pattern?: boolean;
}

/**
 * How a scenario puts people in rooms. The mock has virtual participants (its control API); a real server
 * needs a client: a signalling-only one for join/leave, or a media client for publishing.
 */
export interface ParticipantDriver {
  readonly name: string;
  /** Whether `publish` works (a real server needs media for a track to count as published). */
  readonly canPublish: boolean;
  join(p: ParticipantJoin): Promise<void>;
  /** Drivers without media ignore the options. */
  publish(room: string, identity: string, track: 'audio' | 'video', options?: PublishOptions): Promise<void>;
  leave(room: string, identity: string): Promise<void>;
  close(): Promise<void>;
  /** Drivers that can tell report participants the server disconnected (reason: a DisconnectReason name). */
  onDeparted?(listener: (room: string, identity: string, reason: string) => void): void;
}
