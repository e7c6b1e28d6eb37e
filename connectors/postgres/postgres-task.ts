import type pg from 'pg'
import { streamWithAdhocSnapshots } from '../adhoc-snapshot-loop.ts'
import { pendingSnapshotTables } from '../adhoc-snapshot-position.ts'
import { AdhocSnapshotRequests } from '../adhoc-snapshot-requests.ts'
import { checkRequestedTables } from '../adhoc-snapshot-tables.ts'
import { CommitTrackingSink } from '../commit-tracking-sink.ts'
import type { ConnectorContext, ConnectorTask } from '../plugin.ts'
import type { Position } from '../ports.ts'
import { capturedTables, takeAdhocSnapshot } from './adhoc-snapshot.ts'
import { isCapturedTable } from './captured-table.ts'
import { describeTables, listTables, type CatalogTable } from './catalog.ts'
import type { PostgresConfig } from './config.ts'
import { connectClient } from './connection.ts'
import type { Lsn } from './lsn.ts'
import { classifyPgError } from './pg-errors.ts'
import { decodePosition, encodePosition } from './position.ts'
import { ensurePublication } from './publication.ts'
import {
  checkReplicaIdentity,
  checkReplicationPrivilege,
  checkSelectPrivilege,
  checkWalLevel,
} from './setup-checks.ts'
import { awaitSlotFree, createSlot } from './slot.ts'
import { takeSnapshot } from './snapshot-phase.ts'
import { planStart } from './start-plan.ts'
import { streamChanges } from './streaming-phase.ts'
import { TypeRegistry } from './type-registry.ts'

/** How long a run waits for a previous walsender to let go of the slot before reporting it busy. */
const slotReleaseTimeoutMs = 5_000

/**
 * One run of the PostgreSQL connector: setup checks, then a snapshot and/or streaming as
 * the snapshot mode and the stored position decide.
 */
export class PostgresTask implements ConnectorTask {
  readonly #config: PostgresConfig
  readonly #context: ConnectorContext
  readonly #version: string
  readonly #commits: CommitTrackingSink
  readonly #snapshots: AdhocSnapshotRequests

  constructor(config: PostgresConfig, context: ConnectorContext, version: string) {
    this.#config = config
    this.#commits = new CommitTrackingSink(context.sink)
    this.#context = { ...context, sink: this.#commits }
    this.#version = version
    this.#snapshots = new AdhocSnapshotRequests(context.name)
  }

  get #applicationName(): string {
    return `cdc-${this.#context.name}`.slice(0, 63)
  }

  async run(from: Position | null, signal: AbortSignal): Promise<void> {
    const { monitor } = this.#context
    monitor.phase('starting')
    const position = from === null ? null : decodePosition(from)
    this.#commits.reset(from)
    const admin = await connectClient(this.#config.connection, {
      applicationName: this.#applicationName,
    })
    try {
      const tables = await this.#prepare(admin)
      const slot = await awaitSlotFree(
        admin,
        this.#config.slotName,
        this.#config.connection.database,
        slotReleaseTimeoutMs,
      )
      const plan = planStart(this.#config.snapshotMode, position, slot, this.#config.slotName)
      if (plan.kind === 'done' || signal.aborted) return
      const types = new TypeRegistry()
      const serverVersion = await this.#serverVersion(admin)
      let startLsn: Lsn
      if (plan.kind === 'snapshot') {
        monitor.phase('snapshot')
        const lsn = await takeSnapshot({
          config: this.#config,
          context: this.#context,
          admin,
          types,
          tables,
          slot,
          withSlot: plan.stream,
          serverVersion,
          version: this.#version,
          applicationName: this.#applicationName,
          signal,
        })
        if (lsn === null || !plan.stream) return
        startLsn = lsn
      } else if (plan.createSlot) {
        const created = await createSlot(
          this.#config.connection,
          this.#config.slotName,
          false,
          serverVersion,
          this.#applicationName,
        )
        await created.client.end().catch(() => undefined)
        startLsn = created.consistentPoint
      } else {
        startLsn = plan.from
      }
      // The snapshot may have taken long enough for a stop to arrive.
      if (isAborted(signal)) return
      const last = this.#commits.lastCommitted
      await streamWithAdhocSnapshots({
        requests: this.#snapshots,
        sink: this.#commits,
        monitor,
        signal,
        from:
          last !== null && decodePosition(last).lsn === startLsn
            ? last
            : encodePosition({ lsn: startLsn, snapshotCompleted: true, txId: null, tsUsec: null }),
        pending:
          plan.kind === 'stream' && !plan.createSlot
            ? pendingSnapshotTables(from, 'CDC_PG_POSITION_UNAVAILABLE')
            : null,
        stream: async (at) => {
          await awaitSlotFree(
            admin,
            this.#config.slotName,
            this.#config.connection.database,
            slotReleaseTimeoutMs,
          )
          await streamChanges({
            config: this.#config,
            context: this.#context,
            admin,
            types,
            startLsn: decodePosition(at).lsn,
            version: this.#version,
            applicationName: this.#applicationName,
            signal,
            snapshots: this.#snapshots,
          })
        },
        snapshot: (tables, at) =>
          takeAdhocSnapshot({
            config: this.#config,
            context: this.#context,
            admin,
            types,
            tables,
            from: at,
            version: this.#version,
            applicationName: this.#applicationName,
            signal,
          }),
      })
    } catch (error) {
      throw classifyPgError(error, `running connector ${this.#context.name}`)
    } finally {
      monitor.phase('stopping')
      await admin.end().catch(() => undefined)
    }
  }

  /**
   * Takes an ad-hoc (blocking) snapshot request of captured `schema.table` names; resolves
   * once it is recorded in the committed position (see streamWithAdhocSnapshots).
   */
  async requestSnapshot(tables: readonly string[]): Promise<void> {
    this.#snapshots.checkAccepting()
    let captured: string[]
    const client = await connectClient(this.#config.connection, {
      applicationName: this.#applicationName,
    })
    try {
      captured = [...(await capturedTables(client, this.#config)).keys()]
    } catch (error) {
      throw classifyPgError(error, 'checking the tables of an ad-hoc snapshot request')
    } finally {
      await client.end().catch(() => undefined)
    }
    await this.#snapshots.submit(
      checkRequestedTables(this.#context.name, tables, captured, 'schema.table'),
    )
  }

  /** Checks the server and makes the publication; returns the captured, published tables. */
  async #prepare(admin: pg.Client): Promise<CatalogTable[]> {
    const config = this.#config
    await checkWalLevel(admin)
    await checkReplicationPrivilege(admin)
    const candidates = (await listTables(admin)).filter((table) =>
      isCapturedTable(config, table.schema, table.name),
    )
    const publication = await ensurePublication(
      admin,
      config.publicationName,
      config.publicationAutocreateMode,
      candidates,
      this.#context.name,
    )
    const published = publication.allTables
      ? candidates
      : candidates.filter((table) => publication.tables.has(`${table.schema}.${table.name}`))
    const unpublished = candidates.filter((table) => !published.includes(table))
    if (unpublished.length > 0) {
      this.#context.logger.warn(
        `tables matching the filters are not in publication ${config.publicationName}; their changes are not captured`,
        {
          tables: unpublished.map((table) => `${table.schema}.${table.name}`),
        },
      )
    }
    const tables = await describeTables(
      admin,
      published.map((table) => table.oid),
    )
    checkReplicaIdentity(tables)
    await checkSelectPrivilege(admin, tables)
    return tables
  }

  async #serverVersion(admin: pg.Client): Promise<number> {
    const { rows } = await admin.query<{ version: string }>(
      `select current_setting('server_version_num') as version`,
    )
    return Number(rows[0]?.version ?? 0)
  }
}

function isAborted(signal: AbortSignal): boolean {
  return signal.aborted
}
