import { randomUUID } from 'node:crypto'
import { CdcError } from '../../common/errors.ts'
import type { MysqlConnection } from './config.ts'
import { MysqlSession } from './connection.ts'
import {
  binlogDumpGtidPacket,
  binlogDumpPacket,
  DumpFlag,
  registerReplicaPacket,
} from './dump-packets.ts'
import type { MysqlGtidSet } from './gtid.ts'
import { classifyMysqlError, ErrorNumber } from './mysql-errors.ts'

/** Where the dump starts. */
export type DumpStart =
  | { kind: 'file'; file: string; pos: number }
  /** MariaDB: after these GTIDs (`@slave_connect_state`). */
  | { kind: 'mariadbGtid'; gtids: string }
  /** MySQL: every transaction not in this executed set (COM_BINLOG_DUMP_GTID). */
  | { kind: 'mysqlGtid'; gtids: MysqlGtidSet }

export interface BinlogStreamOptions {
  connection: MysqlConnection
  serverId: number
  /** The server's flavor, which decides the session variables and dump flags. */
  mariadb: boolean
  start: DumpStart
  /** How often the server sends a heartbeat while it has nothing else to send. */
  heartbeatMs: number
  /** Shown in SHOW SLAVE HOSTS. */
  replicaName: string
  /** Whether MariaDB should send ANNOTATE_ROWS (the statement behind row events). */
  annotateRows: boolean
  /** Bytes received but not yet taken before the socket is paused (default 4 MiB). */
  maxBufferedBytes?: number
}

/** What mysql2 hands a command for each server packet. */
interface ProtocolPacket {
  buffer: Buffer
  start: number
  end: number
}

interface OutgoingPacket {
  buffer: Buffer
  length(): number
  writeHeader(sequenceId: number): void
}

/**
 * The undocumented command interface of mysql2's connection: a command's `execute` is
 * called once without a packet to start and then once per server packet until it returns
 * true; `onResult` receives fatal connection errors.
 */
interface CommandHost {
  addCommand(command: ProtocolCommand): unknown
  writePacket(packet: OutgoingPacket): void
  _resetSequenceId(): void
}

interface ProtocolCommand {
  execute(packet: ProtocolPacket | undefined | null, host: CommandHost): boolean
  onResult(error: unknown): void
}

function outgoing(payload: Buffer): OutgoingPacket {
  const buffer = Buffer.concat([Buffer.alloc(4), payload])
  return {
    buffer,
    length: () => buffer.length,
    writeHeader: (sequenceId) => {
      buffer.writeUIntLE(buffer.length - 4, 0, 3)
      buffer.writeUInt8(sequenceId, 3)
    },
  }
}

/** An ERR packet's error number, SQLSTATE and message, shaped like mysql2's errors. */
export function parseErrorPacket(payload: Buffer): Error & { errno: number; sqlState: string } {
  const errno = payload.readUInt16LE(1)
  let offset = 3
  let sqlState = ''
  if (payload.readUInt8(3) === 0x23) {
    sqlState = payload.subarray(4, 9).toString('latin1')
    offset = 9
  }
  return Object.assign(new Error(payload.subarray(offset).toString('utf8')), { errno, sqlState })
}

function isEof(payload: Buffer): boolean {
  return payload.readUInt8(0) === 0xfe && payload.length < 9
}

/**
 * Sends one command and hands every answer packet to `onPacket` until it returns true.
 * The payload of each packet is copied, since mysql2 reuses its read buffers.
 */
function runCommand(
  session: MysqlSession,
  payload: Buffer,
  onPacket: (packet: Buffer) => boolean,
  onError: (error: unknown) => void,
): void {
  const host = session.raw as unknown as CommandHost
  host.addCommand({
    execute(packet, connection) {
      if (packet === undefined || packet === null) {
        connection._resetSequenceId()
        connection.writePacket(outgoing(payload))
        return false
      }
      return onPacket(Buffer.from(packet.buffer.subarray(packet.start + 4, packet.end)))
    },
    onResult: onError,
  })
}

/**
 * COM_REGISTER_SLAVE. Both servers answer a user without REPLICATION SLAVE with an access
 * error (MariaDB even with 1045, the login error), turned here into the grant to run.
 */
function registerReplica(
  session: MysqlSession,
  connection: MysqlConnection,
  serverId: number,
  replicaName: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    runCommand(
      session,
      registerReplicaPacket({ serverId, hostname: replicaName, port: 0 }),
      (packet) => {
        if (packet.readUInt8(0) !== 0xff) {
          resolve()
          return true
        }
        const error = parseErrorPacket(packet)
        if (
          error.errno === ErrorNumber.ACCESS_DENIED_USER ||
          error.errno === ErrorNumber.SPECIFIC_ACCESS_DENIED
        ) {
          reject(
            new CdcError(
              'CDC_MYSQL_PRIVILEGE',
              `user '${connection.user}' may not read the binlog as a replica (${error.message}): run GRANT REPLICATION SLAVE ON *.* TO '${connection.user}'`,
              { cause: error },
            ),
          )
        } else reject(error)
        return true
      },
      reject,
    )
  })
}

/**
 * The dump connection, the one place that drives mysql2's connection for replication.
 * It registers as a replica, declares checksum support, asks for GTID events and
 * heartbeats, starts the dump and then hands out event packets one at a time. Packets
 * wait in a bounded buffer: once it holds `maxBufferedBytes` the socket is paused, so a
 * sink that applies backpressure holds the server back instead of filling memory.
 */
export class BinlogStream {
  readonly #session: MysqlSession
  readonly #maxBuffered: number
  readonly #queue: Buffer[] = []
  #bufferedBytes = 0
  #peakBufferedBytes = 0
  #paused = false
  #ended = false
  #error: CdcError | null = null
  #closed = false
  #wake: (() => void) | null = null
  #lastPacketAt = Date.now()

  private constructor(session: MysqlSession, maxBuffered: number) {
    this.#session = session
    this.#maxBuffered = maxBuffered
  }

  /**
   * Connects and starts the dump; resolves once the server sent its first event, so that
   * a refused start (purged position, missing privilege, server id clash) rejects here.
   */
  static async open(options: BinlogStreamOptions): Promise<BinlogStream> {
    const session = await MysqlSession.open(options.connection, 'the binlog dump')
    const stream = new BinlogStream(session, options.maxBufferedBytes ?? 4 * 1024 * 1024)
    try {
      await stream.#prepare(options)
      await stream.#register(options)
      stream.#dump(options)
      await stream.#firstPacket()
      return stream
    } catch (error) {
      session.destroy()
      throw classifyMysqlError(error, 'starting the binlog dump')
    }
  }

  /**
   * Registers as a replica on a short-lived connection and leaves: proves REPLICATION SLAVE
   * before a snapshot that would otherwise end in a refused dump. Registering does not
   * disturb a running dump with the same server id.
   */
  static async probe(
    connection: MysqlConnection,
    serverId: number,
    replicaName: string,
  ): Promise<void> {
    const session = await MysqlSession.open(connection, 'the replication privilege check')
    try {
      await registerReplica(session, connection, serverId, replicaName)
    } catch (error) {
      throw classifyMysqlError(error, 'registering as a replica')
    } finally {
      session.destroy()
    }
  }

  async #prepare(options: BinlogStreamOptions): Promise<void> {
    const session = this.#session
    // Without this both servers refuse a checksum-aware client ("Slave can not handle
    // replication events with the checksum..."); events then always end in their CRC.
    await session.query(
      'SET @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = @@global.binlog_checksum',
    )
    const periodNs = Math.max(1, options.heartbeatMs) * 1_000_000
    await session.query('SET @master_heartbeat_period = ?, @source_heartbeat_period = ?', [
      periodNs,
      periodNs,
    ])
    if (options.mariadb) {
      // Capability 4 (GTID) makes MariaDB send its GTID events instead of dummy QUERYs.
      await session.query('SET @mariadb_slave_capability = 4')
      if (options.start.kind === 'mariadbGtid') {
        await session.query('SET @slave_connect_state = ?', [options.start.gtids])
        await session.query('SET @slave_gtid_strict_mode = 1, @slave_gtid_ignore_duplicates = 0')
      }
    } else {
      // MySQL drops an older dump with the same replica uuid; each connection gets its own.
      const uuid = randomUUID()
      await session.query('SET @slave_uuid = ?, @replica_uuid = ?', [uuid, uuid])
    }
  }

  #register(options: BinlogStreamOptions): Promise<void> {
    return registerReplica(this.#session, options.connection, options.serverId, options.replicaName)
  }

  #dump(options: BinlogStreamOptions): void {
    const start = options.start
    const annotate =
      options.mariadb && options.annotateRows ? DumpFlag.MARIADB_SEND_ANNOTATE_ROWS : 0
    let payload: Buffer
    if (start.kind === 'mysqlGtid') {
      payload = binlogDumpGtidPacket({ gtids: start.gtids, serverId: options.serverId, flags: 0 })
    } else if (start.kind === 'mariadbGtid') {
      // With @slave_connect_state set, MariaDB ignores the file and position.
      payload = binlogDumpPacket({
        file: '',
        position: 4,
        serverId: options.serverId,
        flags: annotate,
      })
    } else {
      payload = binlogDumpPacket({
        file: start.file,
        position: start.pos,
        serverId: options.serverId,
        flags: annotate,
      })
    }
    runCommand(
      this.#session,
      payload,
      (packet) => this.#receive(packet),
      (error) => {
        this.#fail(error)
      },
    )
  }

  /** Handles one dump packet; returns true when the dump is over. */
  #receive(packet: Buffer): boolean {
    this.#lastPacketAt = Date.now()
    if (packet.readUInt8(0) === 0xff) {
      this.#fail(parseErrorPacket(packet))
      return true
    }
    if (isEof(packet)) {
      this.#ended = true
      this.#notify()
      return true
    }
    this.#queue.push(packet)
    this.#bufferedBytes += packet.length
    this.#peakBufferedBytes = Math.max(this.#peakBufferedBytes, this.#bufferedBytes)
    if (!this.#paused && this.#bufferedBytes >= this.#maxBuffered) {
      this.#paused = true
      this.#session.raw.pause()
    }
    this.#notify()
    return false
  }

  #fail(error: unknown): void {
    if (this.#closed || this.#error !== null) return
    this.#error = classifyMysqlError(error, 'reading the binlog')
    this.#notify()
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  async #firstPacket(): Promise<void> {
    while (this.#queue.length === 0 && this.#error === null && !this.#ended) {
      await new Promise<void>((resolve) => (this.#wake = resolve))
    }
    if (this.#queue.length === 0 && this.#error !== null) throw this.#error
  }

  /**
   * The next event packet (its leading 0x00 included), or null when the dump ended or the
   * stream was closed. Packets received before a failure are handed out first.
   */
  async next(): Promise<Buffer | null> {
    for (;;) {
      const packet = this.#queue.shift()
      if (packet !== undefined) {
        this.#bufferedBytes -= packet.length
        if (this.#paused && this.#bufferedBytes <= this.#maxBuffered / 2) {
          this.#paused = false
          // Silence while paused was ours, not the server's.
          this.#lastPacketAt = Date.now()
          this.#session.raw.resume()
        }
        return packet
      }
      if (this.#closed || this.#ended) return null
      if (this.#error !== null) throw this.#error
      await new Promise<void>((resolve) => (this.#wake = resolve))
    }
  }

  /** Milliseconds since the server sent anything; heartbeats count. */
  get idleMs(): number {
    return this.#paused ? 0 : Date.now() - this.#lastPacketAt
  }

  /** True while the socket is paused because the consumer is behind. */
  get paused(): boolean {
    return this.#paused
  }

  get bufferedBytes(): number {
    return this.#bufferedBytes
  }

  /** The most bytes ever waiting in the buffer at once. */
  get peakBufferedBytes(): number {
    return this.#peakBufferedBytes
  }

  /** Fails the stream from outside (e.g. the server went silent); next() then rejects. */
  abort(error: CdcError): void {
    this.#fail(error)
    this.#session.destroy()
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#session.destroy()
    this.#notify()
  }
}
