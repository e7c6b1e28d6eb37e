import { randomInt } from 'node:crypto'
import type pg from 'pg'

/** The demo's shop: customers, their orders and the orders' items. */
export const shopSchemaSql = `
drop schema if exists shop cascade;
create schema shop;
create table shop.customers (id serial primary key, name text not null, email text, tier text not null default 'standard', updated_at timestamptz not null default now());
create table shop.orders (id serial primary key, customer_id int not null references shop.customers, status text not null default 'new', total numeric(10,2) not null default 0, created_at timestamptz not null default now());
alter table shop.orders replica identity full;
create table shop.order_items (id serial primary key, order_id int not null references shop.orders on delete cascade, sku text not null, quantity int not null, price numeric(10,2) not null);
insert into shop.customers (name, email) values ('Ada Lovelace', 'ada@example.com'), ('Grace Hopper', 'grace@example.com'), ('Edsger Dijkstra', null);
`

const names = [
  'Alan Turing',
  'Barbara Liskov',
  'Donald Knuth',
  'Frances Allen',
  'John McCarthy',
  'Radia Perlman',
]

/** One step of the workload: new customers and orders, updates, and the odd delete. */
export async function workloadStep(db: pg.Client, step: number): Promise<void> {
  const choice = step % 10
  if (choice === 0) {
    await db.query('insert into shop.customers (name, email) values ($1, $2)', [
      names[randomInt(names.length)],
      `user${step}@example.com`,
    ])
    return
  }
  if (choice === 7) {
    await db.query(
      `update shop.customers set tier = 'gold', updated_at = now() where id = (select id from shop.customers order by random() limit 1)`,
    )
    return
  }
  if (choice === 9) {
    await db.query(
      `delete from shop.orders where id = (select id from shop.orders where status = 'shipped' order by id limit 1)`,
    )
    return
  }
  if (choice % 3 === 0) {
    await db.query(
      `update shop.orders set status = 'shipped' where id = (select id from shop.orders where status = 'new' order by id limit 1)`,
    )
    return
  }
  await db.query('begin')
  const { rows } = await db.query<{ id: number }>(
    `insert into shop.orders (customer_id) values ((select id from shop.customers order by random() limit 1)) returning id`,
  )
  const order = rows[0]?.id
  const items = 1 + randomInt(3)
  for (let i = 0; i < items; i++) {
    await db.query(
      'insert into shop.order_items (order_id, sku, quantity, price) values ($1, $2, $3, $4)',
      [
        order,
        `SKU-${100 + randomInt(50)}`,
        1 + randomInt(4),
        (5 + randomInt(9500) / 100).toFixed(2),
      ],
    )
  }
  await db.query(
    'update shop.orders set total = (select sum(quantity * price) from shop.order_items where order_id = $1) where id = $1',
    [order],
  )
  await db.query('commit')
}
