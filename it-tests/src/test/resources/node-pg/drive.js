'use strict'
// Drives one server with node-postgres the way an application does: ProxyNodePgIT runs it against
// a plain PostgreSQL and against the Zynamo proxy and compares what each side saw.
//
// Connection settings come from the PG* variables node-postgres reads itself (PGHOST, PGPORT,
// PGUSER, PGPASSWORD, PGDATABASE); ZYNAMO=1 adds the Zynamo-only statements (zynamo.distribute).
// Output: one line per step, "name<TAB>JSON of what the step saw". A step that throws prints
// {"error": {...}} as its result and the next step goes on with a new client, so one failure does
// not hide the others. Exit status 0 once every step ran; non-zero only if the script itself broke
// (then the error is on stderr). Stderr also gets every error's message and each step's duration.
const { Client, Pool } = require('pg')
const Cursor = require('pg-cursor')
const { from: copyFrom, to: copyTo } = require('pg-copy-streams')
const { pipeline } = require('node:stream/promises')
const { Readable } = require('node:stream')
const crypto = require('node:crypto')

const ZYNAMO = process.env.ZYNAMO === '1'
// Bounded waits: a hung server fails the step instead of the whole run.
const SETTINGS = { connectionTimeoutMillis: 10000, query_timeout: 30000 }

function print(name, value) {
  process.stdout.write(name + '\t' + JSON.stringify(value) + '\n')
}

/**
 * What an error tells an application: the fields node-postgres fills from ErrorResponse, without
 * the message (its wording may differ) unless the error has no SQLState. The message goes to
 * stderr.
 */
function errorOf(e) {
  const out = { code: e.code || null, severity: e.severity || null }
  for (const field of ['detail', 'constraint', 'table', 'column']) {
    if (e[field] !== undefined) out[field] = e[field]
  }
  if (!e.code) out.message = String(e && e.stack ? e.stack : e)
  process.stderr.write(out.code + ': ' + (e && e.message) + '\n')
  return out
}

/**
 * The error a query fails with, or {"ok": ...} if it does not fail. node-postgres rejects on
 * ErrorResponse, before the ReadyForQuery that follows it: wait for that too, so that status()
 * tells the state the error left.
 */
async function failure(client, text, values) {
  const seen = client.statuses.length
  try {
    const r = await client.query(text, values)
    return { ok: r.command }
  } catch (e) {
    await readyAfter(client, seen)
    process.stderr.write('[' + (text.text || text) + '] ')
    return errorOf(e)
  }
}

/** Resolves once the client has had more than `seen` ReadyForQuery messages. */
function readyAfter(client, seen) {
  return new Promise((resolve) => {
    const check = () => {
      if (client.statuses.length > seen) {
        client.connection.removeListener('readyForQuery', check)
        resolve()
      }
    }
    client.connection.on('readyForQuery', check)
    check()
  })
}

/** A value as JSON: Buffers as hex, Dates as ISO text, the rest as node-postgres parsed it. */
function jsonable(v) {
  if (v === null || v === undefined) return null
  if (Buffer.isBuffer(v)) return { hex: v.toString('hex') }
  if (v instanceof Date) return { date: v.toISOString() }
  if (Array.isArray(v)) return v.map(jsonable)
  return v
}

function rowsOf(result) {
  return result.rows.map((row) => {
    const out = {}
    for (const [k, v] of Object.entries(row)) out[k] = jsonable(v)
    return out
  })
}

function fieldsOf(result) {
  return result.fields.map((f) => f.name + ':' + f.dataTypeID)
}

/** A client that records the ParameterStatus values and each ReadyForQuery status. */
async function connect(extra) {
  const client = new Client({ ...SETTINGS, ...extra })
  client.parameters = {}
  client.statuses = []
  client.connection.on('parameterStatus', (m) => {
    client.parameters[m.parameterName] = m.parameterValue
  })
  client.connection.on('readyForQuery', (m) => client.statuses.push(m.status))
  await client.connect()
  return client
}

/** The transaction status of the last ReadyForQuery: I, T or E. */
function status(client) {
  return client.statuses[client.statuses.length - 1]
}

const steps = []
function step(name, body) {
  steps.push({ name, body })
}

step('connect', async (c) => {
  const p = c.parameters
  return {
    serverVersionMajor: p.server_version ? p.server_version.split('.')[0] : null,
    client_encoding: p.client_encoding,
    DateStyle: p.DateStyle,
    integer_datetimes: p.integer_datetimes,
    standard_conforming_strings: p.standard_conforming_strings,
    status: status(c),
  }
})

step('wrongPassword', async () => {
  try {
    const other = await connect({ password: 'not-' + process.env.PGPASSWORD })
    await other.end()
    return { connected: true }
  } catch (e) {
    return errorOf(e)
  }
})

step('simple', async (c) => {
  const r = await c.query("SELECT 1 AS one, 'zynamo'::text AS name, NULL::int AS nothing")
  return { command: r.command, rowCount: r.rowCount, fields: fieldsOf(r), rows: rowsOf(r) }
})

step('multiStatement', async (c) => {
  const results = await c.query("SELECT 1 AS a; SELECT 2 AS b, 'two' AS c; SELECT 3 AS d")
  return results.map((r) => ({ command: r.command, rows: rowsOf(r) }))
})

step('parameters', async (c) => {
  const r = await c.query(
    'SELECT $1::int + 1 AS n, $2::text AS t, $3::text IS NULL AS missing, $4::numeric * 2 AS twice',
    [41, 'gr\u00fc\u00dfe \u2603', null, '1.25']
  )
  return { fields: fieldsOf(r), rows: rowsOf(r) }
})

step('namedStatement', async (c) => {
  const doubled = []
  for (let i = 1; i <= 5; i++) {
    const r = await c.query({ name: 'double', text: 'SELECT $1::int * 2 AS d', values: [i] })
    doubled.push(r.rows[0].d)
  }
  return doubled
})

step('createTables', async (c) => {
  const created = []
  for (const sql of [
    'CREATE TABLE kv (id int PRIMARY KEY, v int NOT NULL, note text)',
    'CREATE TABLE typed (id int PRIMARY KEY, i4 int, i8 bigint, num numeric(20,6), t text,' +
      ' b boolean, ts timestamptz, d date, raw bytea, j json, jb jsonb, ia int[], ta text[])',
    'CREATE TABLE big (id int PRIMARY KEY, g int NOT NULL, label text)',
  ]) {
    created.push((await c.query(sql)).command)
  }
  if (ZYNAMO) {
    const r = await c.query("SELECT zynamo.distribute('kv', 'id')")
    created.push(r.command + ' ' + r.rowCount)
  }
  return created
})

const TYPED = [
  1,
  2147483647,
  '9007199254740993',
  '12345678901234.123456',
  'caf\u00e9 \u65e5\u672c \u{1F600} "quoted" back\\slash',
  true,
  new Date('2026-03-04T05:06:07.089Z'),
  '2026-03-04',
  Buffer.from([0, 1, 2, 0xfe, 0xff]),
  { a: [1, null, 'x'] },
  { k: 'v', n: 1.5 },
  [1, 2, null, -3],
  ['a', 'b c', 'quote"', 'back\\slash', null, ''],
]

step('typesInsert', async (c) => {
  const insert =
    'INSERT INTO typed (id, i4, i8, num, t, b, ts, d, raw, j, jb, ia, ta)' +
    ' VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)'
  const full = await c.query(insert, TYPED)
  const nulls = await c.query(insert, [2, ...TYPED.slice(1).map(() => null)])
  const literal = await c.query(
    "INSERT INTO typed (id, i8, b, d, ta) VALUES (3, -9223372036854775808, false, '1999-12-31'," +
      " '{x,NULL}')"
  )
  return [full.rowCount, nulls.rowCount, literal.rowCount]
})

step('typesByKeySimple', async (c) => {
  const r = await c.query('SELECT * FROM typed WHERE id = 1')
  return { fields: fieldsOf(r), rows: rowsOf(r) }
})

step('typesByKeyExtended', async (c) => {
  const rows = []
  for (const id of [1, 2, 3]) {
    rows.push(...rowsOf(await c.query('SELECT * FROM typed WHERE id = $1', [id])))
  }
  return rows
})

step('typesScan', async (c) => {
  return rowsOf(await c.query('SELECT * FROM typed ORDER BY id'))
})

step('typesExpressions', async (c) => {
  const r = await c.query(
    "SELECT 9007199254740993::int8 AS i8, 0.1::float8 AS f8, 1.50::numeric(4,2) AS num," +
      " '\\x00ff'::bytea AS raw, ARRAY[[1,2],[3,4]] AS nested, '{\"a\": 1}'::jsonb AS jb," +
      " NULL::text AS nothing, 'NaN'::float8 AS nan"
  )
  return { fields: fieldsOf(r), rows: rowsOf(r) }
})

step('writes', async (c) => {
  let inserted = 0
  for (let id = 1; id <= 300; id++) {
    const r = await c.query('INSERT INTO kv (id, v, note) VALUES ($1, $2, $3)', [
      id,
      (id * 7) % 101,
      'n' + id,
    ])
    inserted += r.rowCount
  }
  const totals = async () =>
    rowsOf(await c.query('SELECT count(*) AS n, sum(v) AS total, min(id), max(id) FROM kv'))[0]
  const before = await totals()
  const counts = {}
  const run = async (name, text, values) => {
    const r = await c.query(text, values)
    counts[name] = r.command + ' ' + r.rowCount
  }
  await run('updateRange', 'UPDATE kv SET v = v + 1 WHERE id <= 50')
  await run('updateKey', 'UPDATE kv SET note = $1 WHERE id = $2', ['changed', 7])
  await run('updateMissing', 'UPDATE kv SET v = 0 WHERE id = $1', [100000])
  await run('deleteRange', 'DELETE FROM kv WHERE id > 290')
  await run('deleteMissing', 'DELETE FROM kv WHERE id = $1', [100000])
  await run('insertMany', "INSERT INTO kv VALUES (401, 1, 'm'), (402, 2, 'm'), (403, 3, 'm')")
  const returning = await c.query(
    "INSERT INTO kv VALUES (1001, 7, 'r'), (1002, 8, 'r') RETURNING id, v * 2 AS twice"
  )
  const returningParams = await c.query(
    'INSERT INTO kv (id, v, note) VALUES ($1, $2, $3) RETURNING *',
    [1003, 9, 'p']
  )
  const byName = []
  for (const id of [7, 8, 9, 291, 1003]) {
    const text = 'SELECT v, note FROM kv WHERE id = $1'
    const r = await c.query({ name: 'kv_by_id', text, values: [id] })
    byName.push(r.rows.length ? r.rows[0].v + '/' + r.rows[0].note : null)
  }
  return {
    inserted,
    before,
    counts,
    returning: [returning.command, returning.rowCount, rowsOf(returning)],
    returningParams: [returningParams.rowCount, rowsOf(returningParams)],
    byName,
    after: await totals(),
  }
})

step('transactions', async (c) => {
  const other = await connect()
  const seen = async () =>
    (await other.query('SELECT count(*) AS n FROM kv WHERE id BETWEEN 2001 AND 2009')).rows[0].n
  const log = []
  try {
    await c.query('BEGIN')
    log.push('begin ' + status(c))
    await c.query('INSERT INTO kv VALUES (2001, 1, $1)', ['tx'])
    await c.query("INSERT INTO kv VALUES (2002, 2, 'tx')")
    // By key: a cluster-wide read after the transaction wrote is refused (docs/sql-support.md)
    const own = await c.query('SELECT note FROM kv WHERE id = $1', [2001])
    log.push('inside sees ' + own.rows[0].note)
    log.push('other before commit sees ' + (await seen()))
    await c.query('COMMIT')
    log.push('commit ' + status(c) + ', other sees ' + (await seen()))

    await c.query('BEGIN')
    await c.query("INSERT INTO kv VALUES (2003, 3, 'rolled back')")
    await c.query('UPDATE kv SET v = 100 WHERE id = 2001')
    await c.query('ROLLBACK')
    log.push('rollback ' + status(c) + ', other sees ' + (await seen()))
    log.push('2001 is ' + (await other.query('SELECT v FROM kv WHERE id = 2001')).rows[0].v)

    await c.query('BEGIN')
    await c.query("INSERT INTO kv VALUES (2004, 4, 'lost')")
    const duplicate = await failure(c, "INSERT INTO kv VALUES (2001, 0, 'dup')")
    log.push('duplicate ' + duplicate.code + ' ' + status(c))
    log.push('then ' + (await failure(c, 'SELECT 1')).code + ' ' + status(c))
    await c.query('ROLLBACK')
    log.push('rollback ' + status(c) + ', other sees ' + (await seen()))
    log.push('usable ' + (await c.query('SELECT 1 AS x')).rows[0].x + ' ' + status(c))
  } finally {
    await other.end()
  }
  return log
})

step('syntaxErrors', async (c) => {
  return {
    simple: await failure(c, 'SELEC 1'),
    extended: await failure(c, 'SELEC $1', [1]),
    after: (await c.query('SELECT 1 AS ok')).rows[0].ok,
    status: status(c),
  }
})

step('uniqueViolations', async (c) => {
  return {
    simple: await failure(c, "INSERT INTO kv VALUES (1, 1, 'dup')"),
    extended: await failure(c, 'INSERT INTO kv (id, v) VALUES ($1, $2)', [2, 2]),
    named: await failure(c, {
      name: 'ins',
      text: 'INSERT INTO kv (id, v) VALUES ($1, 0)',
      values: [3],
    }),
    after: (await c.query('SELECT v FROM kv WHERE id = $1', [3])).rows[0].v,
    status: status(c),
  }
})

step('otherErrors', async (c) => {
  return {
    noTable: await failure(c, 'SELECT * FROM nowhere WHERE id = 1'),
    divisionByZero: await failure(c, 'SELECT v / (v - v) FROM kv WHERE id = $1', [4]),
    status: status(c),
  }
})

step('notNullViolation', async (c) => {
  return {
    error: await failure(c, 'INSERT INTO kv (id) VALUES (5000)'),
    after: (await c.query('SELECT count(*) AS n FROM kv WHERE id = 5000')).rows[0].n,
  }
})

step('badKeyInput', async (c) => {
  return {
    text: await failure(c, 'SELECT v FROM kv WHERE id = $1', ['four']),
    after: (await c.query('SELECT v FROM kv WHERE id = $1', ['4'])).rows[0].v,
  }
})

step('pool', async () => {
  const INSERT = 'INSERT INTO kv (id, v, note) VALUES ($1, $2, $3)'
  const pool = new Pool({ ...SETTINGS, max: 4 })
  try {
    const writers = []
    for (let w = 0; w < 8; w++) {
      writers.push(
        (async () => {
          const client = await pool.connect()
          try {
            await client.query('BEGIN')
            for (let j = 0; j < 10; j++) {
              await client.query(INSERT, [3000 + w * 100 + j, w, 'pool'])
            }
            await client.query('COMMIT')
          } finally {
            client.release()
          }
        })()
      )
      for (let j = 0; j < 10; j++) {
        writers.push(pool.query(INSERT, [4000 + w * 100 + j, 1, 'auto']))
      }
    }
    await Promise.all(writers)
    const reads = []
    for (let w = 0; w < 8; w++) {
      for (let j = 0; j < 10; j += 3) {
        reads.push(pool.query('SELECT v FROM kv WHERE id = $1', [3000 + w * 100 + j]))
      }
    }
    const found = (await Promise.all(reads)).map((r) => r.rows[0].v).reduce((a, b) => a + b, 0)
    const totals = await pool.query(
      'SELECT note, count(*) AS n, sum(v) AS total FROM kv WHERE id >= 3000' +
        ' GROUP BY note ORDER BY note'
    )
    return { found, reads: reads.length, totals: rowsOf(totals), poolSize: pool.totalCount <= 4 }
  } finally {
    await pool.end()
  }
})

step('largeResult', async (c) => {
  const r = await c.query('SELECT g, md5(g::text) AS h FROM generate_series(1, 10000) g')
  let sum = 0
  const hash = crypto.createHash('sha256')
  for (const row of r.rows) {
    sum += row.g
    hash.update(row.h)
  }
  return { rowCount: r.rowCount, rows: r.rows.length, sum, sha256: hash.digest('hex') }
})

function bigRows() {
  const lines = []
  for (let id = 1; id <= 10000; id++) lines.push(id + '\t' + (id % 97) + '\tlabel ' + id + '\n')
  return lines
}

step('copyIn', async (c) => {
  const stream = c.query(copyFrom('COPY big (id, g, label) FROM STDIN'))
  await pipeline(Readable.from(bigRows()), stream)
  const csv = c.query(copyFrom("COPY big FROM STDIN WITH (FORMAT csv)"))
  await pipeline(Readable.from(['10001,1,"with, comma"\n', '10002,2,\n']), csv)
  const r = await c.query('SELECT count(*) AS n, sum(g) AS g, count(label) AS labels FROM big')
  return { text: stream.rowCount, csv: csv.rowCount, table: rowsOf(r)[0] }
})

step('scanBig', async (c) => {
  const r = await c.query('SELECT id, g, label FROM big ORDER BY id')
  let ordered = true
  const hash = crypto.createHash('sha256')
  r.rows.forEach((row, i) => {
    if (row.id !== i + 1) ordered = false
    hash.update(row.id + ',' + row.g + ',' + row.label + ';')
  })
  return { rows: r.rows.length, ordered, sha256: hash.digest('hex') }
})

step('cursor', async (c) => {
  const text = 'SELECT id, label FROM big WHERE id <= $1 ORDER BY id'
  const cursor = c.query(new Cursor(text, [10000]))
  const chunks = []
  let next = 1
  let ordered = true
  try {
    for (;;) {
      const rows = await cursor.read(1000)
      if (rows.length === 0) break
      chunks.push(rows.length)
      for (const row of rows) {
        if (row.id !== next++) ordered = false
      }
    }
  } finally {
    await cursor.close()
  }
  return { chunks, ordered, usable: (await c.query('SELECT 1 AS x')).rows[0].x }
})

step('copyOut', async (c) => {
  const collect = async (sql) => {
    const chunks = []
    await pipeline(c.query(copyTo(sql)), async function* (source) {
      for await (const chunk of source) chunks.push(chunk)
    })
    return Buffer.concat(chunks).toString('utf8')
  }
  const all = (await collect('COPY big TO STDOUT')).split('\n')
  all.sort()
  const csv = await collect(
    'COPY (SELECT id, label FROM big WHERE id > 9998 ORDER BY id)' +
      ' TO STDOUT WITH (FORMAT csv, HEADER)'
  )
  return {
    lines: all.length,
    sha256: crypto.createHash('sha256').update(all.join('\n')).digest('hex'),
    csv,
  }
})

async function main() {
  let client = await connect()
  const took = {}
  for (const { name, body } of steps) {
    const start = Date.now()
    try {
      print(name, await body(client))
    } catch (e) {
      process.stderr.write('step ' + name + ' failed: ')
      print(name, { error: { ...errorOf(e), message: e.message } })
      await client.end().catch(() => {})
      client = await connect()
    }
    took[name] = Date.now() - start
  }
  process.stderr.write('milliseconds per step: ' + JSON.stringify(took) + '\n')
  await client.end()
  print('done', true)
  // query_timeout leaves a timer behind for each COPY and cursor (submittables without a
  // callback): exit now instead of waiting for them.
  process.exit(0)
}

main().catch((e) => {
  process.stderr.write('node-postgres run failed: ' + (e && e.stack ? e.stack : e) + '\n')
  process.exit(2)
})
