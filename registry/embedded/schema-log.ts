/** One entry of the registry's log: a JSON key and a JSON value, or null for a tombstone. */
export interface SchemaLogEntry {
  readonly key: string
  readonly value: string | null
}

/**
 * Where the embedded registry keeps its state: an append-only log of key/value entries in
 * Confluent's `_schemas` layout. The state is the replay of the whole log in order, so any
 * number of registry instances over the same log agree once each has read to its end.
 *
 * The Kafka implementation is a compacted topic with exactly one partition (compaction
 * keeps the last value of every key, which is all the replay needs); `append` produces
 * with acks=all, `readNew` consumes from the last position read up to the partition's high
 * watermark as fetched at the start of the call.
 */
export interface SchemaLog {
  /** Appends one entry; resolves once the log holds it durably, rejects otherwise. */
  append(key: string, value: string | null): Promise<void>
  /**
   * The entries after those returned by the previous call, in log order (the whole log on
   * the first call), written by this instance or any other. Resolves once every entry that
   * was durable when the call began has been returned, so an `append` that resolved before
   * is always included.
   */
  readNew(): Promise<readonly SchemaLogEntry[]>
  /** Releases the log's connections; the registry calls it from its own close. */
  close(): Promise<void>
}

/**
 * A log in memory. Instances built over the same `entries` array behave like two registry
 * processes sharing one topic, which is what the unit tests need.
 */
export class InMemorySchemaLog implements SchemaLog {
  readonly entries: SchemaLogEntry[]
  #read = 0

  constructor(entries: SchemaLogEntry[] = []) {
    this.entries = entries
  }

  append(key: string, value: string | null): Promise<void> {
    this.entries.push({ key, value })
    return Promise.resolve()
  }

  readNew(): Promise<readonly SchemaLogEntry[]> {
    const from = this.#read
    this.#read = this.entries.length
    return Promise.resolve(this.entries.slice(from))
  }

  close(): Promise<void> {
    return Promise.resolve()
  }

  /**
   * Does what Kafka's log compaction may do at any time: keeps only the last entry of each
   * key, in log order, and drops tombstones. A registry rebuilt from the result must have
   * the same state as one rebuilt from the full log. Unlike Kafka's, it renumbers entries,
   * so only a registry created afterwards may read this log.
   */
  compact(): void {
    const last = new Map<string, number>()
    this.entries.forEach((entry, index) => last.set(entry.key, index))
    const kept = this.entries.filter(
      (entry, index) => last.get(entry.key) === index && entry.value !== null,
    )
    this.entries.splice(0, this.entries.length, ...kept)
  }
}
