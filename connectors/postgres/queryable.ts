import type pg from 'pg'

/** The part of a pg client the catalog code uses; every value arrives as text. */
export type Queryable = Pick<pg.ClientBase, 'query'>
