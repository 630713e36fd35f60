import { stringify } from 'yaml';

export interface LiveKitNodeConfig {
  httpPort: number;
  rtcTcpPort: number;
  /** One UDP port, or a range for the ICE UDP mux. */
  udpPort: number | { start: number; end: number };
  bindAddress: string;
  nodeIp: string;
  keys: Record<string, string>;
  logLevel: string;
  redisAddress?: string;
  /** Extra top-level config merged last (for example `room: {empty_timeout: 10}`). */
  extra?: Record<string, unknown>;
}

/**
 * The YAML for one harness-run livekit-server: `--dev`-like, but every port chosen by the harness and
 * every listener that can be restricted kept on the bind address (the ICE/TCP mux ignores it).
 */
export function liveKitConfigYaml(c: LiveKitNodeConfig): string {
  const config: Record<string, unknown> = {
    port: c.httpPort,
    bind_addresses: [c.bindAddress],
    keys: c.keys,
    log_level: c.logLevel,
    rtc: {
      tcp_port: c.rtcTcpPort,
      udp_port: typeof c.udpPort === 'number' ? c.udpPort : `${c.udpPort.start}-${c.udpPort.end}`,
      node_ip: c.nodeIp,
      use_external_ip: false,
      // keep the UDP mux on loopback instead of every interface, and offer loopback candidates
      enable_loopback_candidate: true,
      ips: { includes: [`${c.nodeIp}/32`] },
    },
    ...(c.redisAddress ? { redis: { address: c.redisAddress } } : {}),
    ...c.extra,
  };
  return stringify(config);
}
