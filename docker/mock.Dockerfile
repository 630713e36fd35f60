# The mock as a container image, for CI systems and users without Node: `dispatch-lab serve` bundled into one file
# (docker/mock-serve.ts), Node from the build machine with its libraries and loader, node-datachannel for /rtc.
# FROM scratch (no registry base image needed), non-root. Built by scripts/build-mock-image.sh:
#   docker run --rm --network host dispatch-lab/mock:local serve --port 7880
FROM scratch
COPY rootfs/ /
USER 65532:65532
WORKDIR /tmp
ENV HOME=/tmp
ENTRYPOINT ["/usr/bin/node", "/app/dispatch-lab.mjs"]
CMD ["serve"]
