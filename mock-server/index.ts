// The public surface of the mock server. Everything else is internal.
export { startMockServer, type MockServerOptions, type StartedMockServer } from './server/mock-server.ts';
export { MockCore, type MockCoreOptions } from './server/mock-core.ts';
export { SERVER_VERSION } from './config/server-version.ts';
export { REAL_TIMING, FAST_TIMING, DEFAULT_TARGET_LOAD, resolveTiming, type TimingSettings, type TimingPreset } from './config/timing.ts';
export { LIMITS } from './config/limits.ts';
export { DEV_KEYS, parseApiKeys, type ApiKeys } from './auth/api-keys.ts';
export { ManualClock, systemClock, type Clock } from './core/clock.ts';
export { seededRandom, type Random } from './core/random.ts';
export { LabError, AuthError, TwirpError, ConfigError } from './core/errors.ts';
export { Trace } from './trace/trace.ts';
export type { TraceEvent, TraceEventBody, TraceEventKind, TraceEventOf, JobOutcome, JobRef, JobTypeName } from './trace/events.ts';
export type { Fault, FaultSpec, FaultTarget } from './faults/fault.ts';
export type { ServerExtension } from './transport/server-extension.ts';
export { createRtcExtension, DEFAULT_SIGNAL_LOSS_GRACE_MS, type RtcExtensionOptions } from './rtc/rtc-extension.ts';
// Telephony offline (mock-server/sip): for scenario steps and tests that drive calls without HTTP
export { Telephony, type InboundCallSpec, type InboundCallResult } from './sip/telephony.ts';
export { parsePhoneScript, type PhoneScript } from './sip/sip-phones.ts';
export { parseSipMode, type SipMode } from './sip/sip-mode.ts';
export { inboundSpecFrom } from './sip/sip-control.ts';
export type { SipCallView, CallStatus } from './sip/sip-bridge.ts';
