// An ordinary @livekit/agents agent (unmodified SDK) that writes what happens to it as JSON lines.
import { appendFileSync } from 'node:fs';
import { defineAgent, type JobContext } from '@livekit/agents';
import { RoomEvent } from '@livekit/rtc-node';

const log = (ev: string, data: Record<string, unknown>) => appendFileSync(process.env.AGENT_EVENTS_FILE!, `${JSON.stringify({ ev, at: Date.now(), ...data })}\n`);

export default defineAgent({
  entry: async (ctx: JobContext) => {
    const room = ctx.job.room?.name ?? '';
    ctx.addShutdownCallback(async () => log('shutdown', { room }));
    await ctx.connect();
    log('connected', { room, identity: ctx.room.localParticipant?.identity });
    ctx.room.on(RoomEvent.Disconnected, (reason) => log('room_disconnected', { room, reason }));
    ctx.room.on(RoomEvent.ParticipantDisconnected, (p) => log('participant_left', { room, identity: p.identity }));
    const p = await ctx.waitForParticipant();
    log('participant', { room, identity: p.identity });
  },
});
