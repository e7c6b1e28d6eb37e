import type pg from 'pg'

/**
 * `COPY ... TO STDOUT` through pg without pg-copy-streams: a Submittable that counts the
 * CopyData messages (one per row in text format) and their bytes, and drops them.
 */
export class CopyToCounter implements pg.Submittable {
  rows = 0
  bytes = 0
  readonly done: Promise<void>
  readonly #text: string
  #resolve: () => void = () => undefined
  #reject: (error: Error) => void = () => undefined

  constructor(text: string) {
    this.#text = text
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
  }

  submit(connection: pg.Connection): void {
    connection.query(this.#text)
  }

  // The handlers pg's Client calls on its active query.
  handleCopyData(message: { chunk: Buffer }): void {
    this.rows++
    this.bytes += message.chunk.length
  }

  handleCommandComplete(): void {
    // The row count is already known from the CopyData messages.
  }

  handleReadyForQuery(): void {
    this.#resolve()
  }

  handleError(error: Error): void {
    this.#reject(error)
  }
}
