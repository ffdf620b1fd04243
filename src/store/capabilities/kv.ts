/** Small shared values (sessions, nonces, trust marks) that every node of a cluster sees, read. */
export interface KvReader {
  getValue(namespace: string, key: string, now: number): Promise<string | null>;
}

/** Small shared values, written (inside a transaction). */
export interface KvWriter {
  setValue(namespace: string, key: string, value: string, expiresAt: number | null): Promise<void>;
  deleteValue(namespace: string, key: string): Promise<void>;
}
