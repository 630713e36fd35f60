/** Size limits of livekit-server v1.13.5 (config.go LimitConfig defaults). Sizes are UTF-8 bytes. */
export const LIMITS = Object.freeze({
  maxRoomNameLength: 256,
  maxParticipantIdentityLength: 256,
  maxParticipantNameLength: 256,
  maxMetadataSize: 512 * 1024,
  maxAttributesSize: 64 * 1024,
  maxDeploymentLength: 64,
});

const utf8 = new TextEncoder();
export const byteLength = (s: string): number => utf8.encode(s).length;

export function attributesSize(attributes: Record<string, string>): number {
  let total = 0;
  for (const [k, v] of Object.entries(attributes)) total += byteLength(k) + byteLength(v);
  return total;
}

/** protocol agent/environment.go ValidateDeployment: ≤ 64 bytes, no '_', no control bytes or spaces. */
export function isValidDeployment(deployment: string): boolean {
  return deploymentError(deployment) === undefined;
}

/** ValidateDeployment's error text, or undefined when the deployment is valid. */
export function deploymentError(deployment: string): string | undefined {
  const bytes = utf8.encode(deployment);
  if (bytes.length > LIMITS.maxDeploymentLength) return `deployment exceeds ${LIMITS.maxDeploymentLength} bytes`;
  for (const [i, b] of bytes.entries()) {
    if (b === 0x5f) return "deployment contains reserved character '_'";
    if (b <= 0x20 || b === 0x7f) return `deployment contains whitespace or control byte at position ${i}`;
  }
  return undefined;
}
