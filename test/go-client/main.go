// A small LiveKit client on github.com/livekit/server-sdk-go/v2 (pion), for test/rtc/go-client.test.ts.
// argv: url token. Prints one JSON line per event on stdout; reads commands from stdin:
// `send <text>` publishes reliable user data, `done` disconnects and exits.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"
)

func report(ev string, fields map[string]any) {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["ev"] = ev
	b, _ := json.Marshal(fields)
	fmt.Println("@@go " + string(b))
}

func main() {
	url, token := os.Args[1], os.Args[2]
	cb := &lksdk.RoomCallback{
		ParticipantCallback: lksdk.ParticipantCallback{
			OnDataPacket: func(data lksdk.DataPacket, params lksdk.DataReceiveParams) {
				if user, ok := data.(*lksdk.UserDataPacket); ok {
					report("data", map[string]any{"payload": string(user.Payload), "from": params.SenderIdentity})
				}
			},
			OnTrackSubscribed: func(track *webrtc.TrackRemote, pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
				report("track", map[string]any{"sid": pub.SID(), "from": rp.Identity(), "mime": track.Codec().MimeType})
				go func() {
					packets := 0
					for {
						pkt, _, err := track.ReadRTP()
						if err != nil {
							return
						}
						// more than a DTX/silence frame: the sine's Opus packets
						if len(pkt.Payload) > 10 {
							packets++
							if packets%50 == 0 {
								report("rtp", map[string]any{"sid": pub.SID(), "packets": packets})
							}
						}
					}
				}()
			},
		},
		OnParticipantConnected: func(rp *lksdk.RemoteParticipant) {
			report("participant", map[string]any{"identity": rp.Identity()})
		},
	}
	room, err := lksdk.ConnectToRoomWithToken(url, token, cb, lksdk.WithAutoSubscribe(true))
	if err != nil {
		report("error", map[string]any{"error": err.Error()})
		os.Exit(1)
	}
	report("connected", map[string]any{"identity": string(room.LocalParticipant.Identity())})
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		line := in.Text()
		switch {
		case strings.HasPrefix(line, "send "):
			err := room.LocalParticipant.PublishDataPacket(lksdk.UserData([]byte(strings.TrimPrefix(line, "send "))), lksdk.WithDataPublishReliable(true))
			report("sent", map[string]any{"ok": err == nil})
		case line == "done":
			room.Disconnect()
			return
		}
	}
	room.Disconnect()
}
