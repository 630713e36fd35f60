# A local image of livekit-server v1.13.5, built by scripts/build-livekit-image.sh from the binary that
# `npm run setup:livekit` builds from livekit's Go module, with its libc and loader (FROM scratch: no registry base
# image is needed). Tagged dispatch-lab/livekit-server:1.13.5-local so nobody mistakes it for the official
# livekit/livekit-server:v1.13.5; the entrypoint is the same, so both take the same arguments.
FROM scratch
COPY rootfs/ /
USER 65532:65532
ENTRYPOINT ["/livekit-server"]
