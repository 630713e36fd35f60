#!/bin/sh
# Builds the Go test client (server-sdk-go v2.19.0 from the Go module proxy) to $1 (default: test/go-client/go-client).
set -eu
cd "$(dirname "$0")"
exec go build -o "${1:-go-client}" .
