// sip-match-probe asks a Redis-backed livekit-server to evaluate SIP calls, exactly as livekit-sip does for each
// INVITE: psrpc IOInfo.EvaluateSIPDispatchRules over the Redis bus. One JSON request per stdin line
// (rpc.EvaluateSIPDispatchRulesRequest, protojson), one JSON answer per stdout line.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/livekit/protocol/rpc"
	"github.com/livekit/psrpc"
	"github.com/redis/go-redis/v9"
	"google.golang.org/protobuf/encoding/protojson"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sip-match-probe <redis host:port>")
		os.Exit(2)
	}
	rc := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{os.Args[1]}})
	client, err := rpc.NewIOInfoClient(psrpc.NewRedisMessageBus(rc))
	if err != nil {
		fmt.Fprintln(os.Stderr, "io client:", err)
		os.Exit(1)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		var req rpc.EvaluateSIPDispatchRulesRequest
		if err := protojson.Unmarshal(in.Bytes(), &req); err != nil {
			writeJSON(out, map[string]string{"error": "bad request: " + err.Error()})
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		resp, err := client.EvaluateSIPDispatchRules(ctx, &req)
		cancel()
		if err != nil {
			writeJSON(out, map[string]string{"error": err.Error()})
			continue
		}
		b, _ := protojson.MarshalOptions{UseProtoNames: true}.Marshal(resp)
		out.Write(b)
		out.WriteString("\n")
		out.Flush()
	}
}

func writeJSON(out *bufio.Writer, v any) {
	b, _ := json.Marshal(v)
	out.Write(b)
	out.WriteString("\n")
	out.Flush()
}
