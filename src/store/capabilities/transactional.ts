/**
 * The locks a transaction takes before its first statement. A list: keys it holds alone. With
 * `shared`: keys it holds together with every other transaction that holds them shared, while a
 * transaction holding one of them alone waits for all of those (and they for it). An object
 * write holds its user's area shared and its member path alone, so writes of other members of
 * the area run beside it, while an area-wide change (MKCOL, MOVE, an ACL, a share) waits for
 * them all. A key named in both is held alone.
 */
export type TxLocks = readonly string[] | { readonly exclusive: readonly string[]; readonly shared: readonly string[] };

/** The keys of `locks` held alone, and those held shared (none of which is held alone). */
export function lockModes(locks: TxLocks): { exclusive: readonly string[]; shared: readonly string[] } {
  if (!('shared' in locks)) return { exclusive: locks as readonly string[], shared: [] };
  const alone = new Set(locks.exclusive);
  return { exclusive: [...alone], shared: [...new Set(locks.shared)].filter((k) => !alone.has(k)) };
}

/**
 * Atomic writes through a transaction handle of type `Tx`. `Store` is `Transactional<StoreTx>`;
 * a consumer that writes only one capability asks for `Transactional<ThatWriter>` (any Store
 * fits, as a function taking the narrower handle also takes the whole one).
 */
export interface Transactional<Tx> {
  /**
   * Run `fn` in one atomic transaction. `locks` name what the transaction writes (e.g. a
   * user's home path); transactions with a common key are serialised across every process
   * sharing the database, unless each holds it shared (TxLocks).
   */
  transaction<T>(locks: TxLocks, fn: (tx: Tx) => Promise<T>): Promise<T>;
}
