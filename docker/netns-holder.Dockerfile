# Holds a private network namespace for the tests and `dispatch-lab diff --against container` when a scenario
# publishes: started with --network none, it owns an empty namespace that the lab fills with a veth pair; the
# livekit-server container joins it (--network container:<id>) and the lab's clients enter it (nsenter), so
# WebRTC gets a non-loopback address and nothing leaves the namespace. Just `sleep`, FROM scratch.
FROM scratch
COPY rootfs/ /
USER 65532:65532
ENTRYPOINT ["/sleep", "infinity"]
