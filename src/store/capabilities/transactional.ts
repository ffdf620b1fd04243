/**
 * Atomic writes through a transaction handle of type `Tx`. `Store` is `Transactional<StoreTx>`;
 * a consumer that writes only one capability asks for `Transactional<ThatWriter>` (any Store
 * fits, as a function taking the narrower handle also takes the whole one).
 */
export interface Transactional<Tx> {
  /**
   * Run `fn` in one atomic transaction. `lockKeys` name what the transaction writes (e.g. a
   * user's home path); transactions with a common key are serialised across every process
   * sharing the database.
   */
  transaction<T>(lockKeys: readonly string[], fn: (tx: Tx) => Promise<T>): Promise<T>;
}
