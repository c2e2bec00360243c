// TEMPORARY STUB (replaced by the proxy branch)
export class CookieRecorder {
  clear(): void {}
  onChange(_listener: () => void): () => void {
    return () => {};
  }
}
