export {
  BEFORE_RECORDING,
  CHANGED_BY_HAND,
  CookieRecorder,
  type CookieRecorderOptions,
  type JarCookie,
  type LineOutcome,
  type ObservedExchange,
  type RecordedExchange,
  type RecordedSetCookie,
  type SentCookie,
} from "./recorder.js";
export { recordingProxy, type ProxyHandler, type RecordingProxyOptions } from "./recording-proxy.js";
export { renderJarPanel } from "./jar-panel.js";
export type { DecodedAttribute, DecodedSetCookie } from "./decode-set-cookie.js";
