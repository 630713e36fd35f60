import { RTC_NODE_KNOWN_GAPS } from './known-gaps.ts';
import { describeUpstreamSuite } from './upstream-suite.ts';

// LiveKit's own rtc-node end-to-end suites (from its npm tarball), unmodified.
describeUpstreamSuite({
  title: '@livekit/rtc-node e2e suites',
  name: '@livekit/rtc-node e2e',
  driver: new URL('./rtc-node-suite-driver.ts', import.meta.url),
  gaps: RTC_NODE_KNOWN_GAPS,
  timeoutMs: 600_000,
});
