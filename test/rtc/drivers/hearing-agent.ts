// An ordinary @livekit/agents agent (unmodified SDK), as LiveKit's examples are written: it subscribes to the
// user's microphone, counts the frames it hears, and answers with a tone of its own. Writes JSON lines.
import { appendFileSync } from 'node:fs';
import { AutoSubscribe, defineAgent, type JobContext } from '@livekit/agents';
import { AudioFrame, AudioSource, AudioStream, LocalAudioTrack, RoomEvent, TrackKind, TrackPublishOptions, TrackSource, type RemoteTrack } from '@livekit/rtc-node';

const log = (ev: string, data: Record<string, unknown> = {}) => appendFileSync(process.env.AGENT_EVENTS_FILE!, `${JSON.stringify({ ev, ...data })}\n`);

export default defineAgent({
  entry: async (ctx: JobContext) => {
    let heard = 0;
    ctx.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub, participant) => {
      if (track.kind !== TrackKind.KIND_AUDIO) return;
      log('track_subscribed', { sid: pub.sid, identity: participant.identity });
      void (async () => {
        for await (const frame of new AudioStream(track, 48_000, 1)) {
          if (frame.data.some((s) => s !== 0) && ++heard % 50 === 0) log('heard', { frames: heard });
        }
      })();
    });
    await ctx.connect(undefined, AutoSubscribe.AUDIO_ONLY);
    await ctx.waitForParticipant();

    const source = new AudioSource(48_000, 1);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    const publication = await ctx.room.localParticipant!.publishTrack(LocalAudioTrack.createAudioTrack('agent-voice', source), options);
    log('published', { sid: publication.sid });
    let phase = 0;
    let speaking = true;
    ctx.addShutdownCallback(async () => void (speaking = false));
    void publication.waitForSubscription().then(() => log('subscribed_by_user'));
    while (speaking) {
      const data = new Int16Array(480);
      for (let i = 0; i < 480; i++) data[i] = Math.round(6000 * Math.sin((2 * Math.PI * 660 * phase++) / 48_000));
      await source.captureFrame(new AudioFrame(data, 48_000, 1, 480));
    }
  },
});
