// A customers/orders workload for the join tests on real PostgreSQL, with its own oracle:
// for every order change, the customer row the join must attach (the customer as of the
// order change's commit, joins.md §6.3 rule 3). Row values carry version counters, so an
// output names exactly which order change it answers and which customer version it got.

export type Expected =
  { status: 'found'; name: string } | { status: 'deleted' | 'absent'; name: null }

export interface OrderChange {
  id: number
  op: 'r' | 'c' | 'u' | 'd'
  /** The order's note in the change (`after`, or `before` for a delete): unique per change. */
  note: string
  customerId: number
  /** Set on updates that moved the order to another customer. */
  previousCustomerId: number | null
  expected: Expected
}

/** One transaction's statements; customer and order changes mix within one. */
export interface ShopTransaction {
  sql: string
  changes: number
}

type Customer = { name: string } | 'deleted'

/** A small deterministic random source, so a failing run can be replayed. */
function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state % n
  }
}

export class ShopWorkload {
  readonly orderChanges: OrderChange[] = []
  /** Records the connector writes to each topic: every change, plus a tombstone per delete. */
  customerRecords = 0
  orderRecords = 0
  readonly #customers = new Map<number, Customer>()
  readonly #orders = new Map<number, { customerId: number; note: string; version: number }>()
  readonly #random: (n: number) => number
  readonly #customersTable: string
  readonly #ordersTable: string
  #nextCustomer = 1
  #nextOrder = 1
  #customerVersion = 0

  constructor(schema: string, seed: number) {
    this.#customersTable = `${schema}.customers`
    this.#ordersTable = `${schema}.orders`
    this.#random = lcg(seed)
  }

  /**
   * The tables and the rows a snapshot reads (orders need REPLICA IDENTITY FULL, so that a
   * delete carries its customer_id). No foreign key: orders may name customers that do not
   * exist yet, or any more.
   */
  setupSql(customers: number, orders: number): string {
    const statements = [
      `create table ${this.#customersTable} (id int primary key, name text not null)`,
      `create table ${this.#ordersTable} (id int primary key, customer_id int not null, note text not null)`,
      `alter table ${this.#ordersTable} replica identity full`,
    ]
    const pending: OrderChange[] = []
    for (let i = 0; i < customers; i++) statements.push(this.#insertCustomer())
    for (let i = 0; i < orders; i++) {
      statements.push(this.#insertOrder(1 + this.#random(customers), 'r', pending))
    }
    this.#settle(pending)
    return statements.join(';\n')
  }

  /** Transactions of 1..maxSize statements until `changes` row changes were made. */
  transactions(changes: number, maxSize: number): ShopTransaction[] {
    const result: ShopTransaction[] = []
    let done = 0
    while (done < changes) {
      const size = Math.min(1 + this.#random(maxSize), changes - done)
      const statements: string[] = []
      const pending: OrderChange[] = []
      for (let i = 0; i < size; i++) statements.push(this.#step(pending))
      this.#settle(pending)
      result.push({ sql: `begin; ${statements.join('; ')}; commit`, changes: size })
      done += size
    }
    return result
  }

  #step(pending: OrderChange[]): string {
    const choice = this.#random(100)
    const live = [...this.#customers].filter(([, c]) => c !== 'deleted').map(([id]) => id)
    const orders = [...this.#orders.keys()]
    if (choice < 10 || live.length < 5) return this.#insertCustomer()
    if (choice < 25) return this.#updateCustomer(this.#pick(live))
    if (choice < 28) return this.#deleteCustomer(this.#pick(live))
    if (choice < 58 || orders.length < 5)
      return this.#insertOrder(this.#someCustomer(), 'c', pending)
    const order = this.#pick(orders)
    if (choice < 83) return this.#updateOrder(order, null, pending)
    if (choice < 93) return this.#updateOrder(order, this.#someCustomer(), pending)
    return this.#deleteOrder(order, pending)
  }

  /** Mostly a customer that exists or existed; now and then one that never will. */
  #someCustomer(): number {
    if (this.#random(20) === 0) return 1_000_000 + this.#random(1000)
    return 1 + this.#random(this.#nextCustomer - 1)
  }

  #pick(ids: readonly number[]): number {
    return ids[this.#random(ids.length)] ?? 0
  }

  #customerName(id: number): string {
    return `c${id}v${++this.#customerVersion}`
  }

  #insertCustomer(): string {
    const id = this.#nextCustomer++
    const name = this.#customerName(id)
    this.#customers.set(id, { name })
    this.customerRecords++
    return `insert into ${this.#customersTable} values (${id}, '${name}')`
  }

  #updateCustomer(id: number): string {
    const name = this.#customerName(id)
    this.#customers.set(id, { name })
    this.customerRecords++
    return `update ${this.#customersTable} set name = '${name}' where id = ${id}`
  }

  #deleteCustomer(id: number): string {
    this.#customers.set(id, 'deleted')
    this.customerRecords += 2
    return `delete from ${this.#customersTable} where id = ${id}`
  }

  #insertOrder(customerId: number, op: 'r' | 'c', pending: OrderChange[]): string {
    const id = this.#nextOrder++
    const note = `o${id}v1`
    this.#orders.set(id, { customerId, note, version: 1 })
    this.#record(pending, { id, op, note, customerId, previousCustomerId: null })
    return `insert into ${this.#ordersTable} values (${id}, ${customerId}, '${note}')`
  }

  #updateOrder(id: number, newCustomer: number | null, pending: OrderChange[]): string {
    const order = this.#orders.get(id)
    if (order === undefined) throw new Error(`no order ${id}`)
    const customerId = newCustomer ?? order.customerId
    const version = order.version + 1
    const note = `o${id}v${version}`
    this.#orders.set(id, { customerId, note, version })
    this.#record(pending, {
      id,
      op: 'u',
      note,
      customerId,
      previousCustomerId: customerId === order.customerId ? null : order.customerId,
    })
    return `update ${this.#ordersTable} set customer_id = ${customerId}, note = '${note}' where id = ${id}`
  }

  #deleteOrder(id: number, pending: OrderChange[]): string {
    const order = this.#orders.get(id)
    if (order === undefined) throw new Error(`no order ${id}`)
    this.#orders.delete(id)
    this.orderRecords++
    this.#record(pending, {
      id,
      op: 'd',
      note: order.note,
      customerId: order.customerId,
      previousCustomerId: null,
    })
    return `delete from ${this.#ordersTable} where id = ${id}`
  }

  #record(pending: OrderChange[], change: Omit<OrderChange, 'expected'>): void {
    this.orderRecords++
    const entry: OrderChange = { ...change, expected: { status: 'absent', name: null } }
    pending.push(entry)
    this.orderChanges.push(entry)
  }

  /** The transaction is complete: its order changes see every customer change in it. */
  #settle(pending: readonly OrderChange[]): void {
    for (const change of pending) {
      const customer = this.#customers.get(change.customerId)
      change.expected =
        customer === undefined
          ? { status: 'absent', name: null }
          : customer === 'deleted'
            ? { status: 'deleted', name: null }
            : { status: 'found', name: customer.name }
    }
  }
}

/** An output record of the join, reduced to what the oracle predicts. */
export interface OutputSummary {
  id: number
  op: string
  note: string
  status: string
  name: string | null
  previousCustomerId: number | null
}

export function expectedSummary(change: OrderChange): OutputSummary {
  return {
    id: change.id,
    op: change.op,
    note: change.note,
    status: change.expected.status,
    name: change.expected.name,
    previousCustomerId: change.previousCustomerId,
  }
}

interface JsonOutput {
  op: string
  stream: { before: { note: string } | null; after: { note: string } | null }
  table: { name: string } | null
  tableRef: { status: string; previousKey: { customer_id: number } | null }
}

/** Summarizes a JSON output value (output.format=json); null for a tombstone. */
export function outputSummary(id: number, value: Buffer | null): OutputSummary | null {
  if (value === null) return null
  const output = JSON.parse(value.toString()) as JsonOutput
  const row = output.op === 'd' ? output.stream.before : output.stream.after
  return {
    id,
    op: output.op,
    note: row?.note ?? '',
    status: output.tableRef.status,
    name: output.table?.name ?? null,
    previousCustomerId: output.tableRef.previousKey?.customer_id ?? null,
  }
}

/** The order id of a stream or output key written with JsonConverter (schemas on or off). */
export function orderId(key: Buffer | null): number {
  const parsed = JSON.parse(key?.toString() ?? 'null') as { payload?: { id: number }; id?: number }
  return parsed.payload?.id ?? parsed.id ?? -1
}
