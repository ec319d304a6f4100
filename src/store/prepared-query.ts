import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import { DEFERRED_MARK, nameStatement } from './pg-named-statements.ts';
import type { Db } from './store.ts';

/** Stands for one argument (by its path in the arguments object) while a query is compiled once. */
class Slot {
  constructor(readonly path: ReadonlyArray<string | number>) {}
}

/** Compiled forms kept per query (one per dialect and list length); the oldest is dropped beyond this. */
const SHAPES_PER_QUERY = 32;

interface Template {
  compiled: CompiledQuery;
  /** Each parameter of the compiled query, read from the arguments (a constant reads none). */
  slots: Array<(args: object) => unknown>;
}

/**
 * A Kysely query built and compiled once per dialect (and per length of its list arguments),
 * then run with new argument values. Building a query with Kysely's builder and compiling it
 * costs more than SQLite takes to run a small indexed query (bench/README.md, "What the profiles
 * show": a quarter of an add-1 request); the hot repository functions skip that work.
 *
 * `build` receives stand-ins for the arguments and must use them only as values (in `where`,
 * `values`, `set`, `limit`…), never look at them: a stand-in has no value until the query runs.
 * Arguments named in `lists` are arrays (of values, or of objects whose fields are values); the
 * query is compiled once for each length seen. The compiled SQL is the dialect's own (`?` for
 * SQLite, `$1` for PostgreSQL), exactly what the builder would have produced. On PostgreSQL
 * it runs as a named (prepared) statement: pg-named-statements.ts.
 */
export class PreparedQuery<A extends object, R> {
  private readonly templates = new Map<string, Template>();

  /**
   * @param options.deferrable a write whose result (rows, count) nobody reads: in a PostgreSQL
   *   transaction it may be held back and sent with the transaction's next statement
   *   (pg-naming-client.ts), one round trip for several such writes. Its SQL must hold no `$`
   *   but its parameters'.
   */
  constructor(
    private readonly build: (db: Db, args: A) => Compilable<R>,
    private readonly lists: ReadonlyArray<keyof A & string> = [],
    private readonly options: { deferrable?: boolean } = {},
  ) {}

  /** Runs the query; @returns Kysely's result (rows, affected rows, insert id; none for a held-back write). */
  run(db: Db, args: A): Promise<QueryResult<R>> {
    const template = this.templateFor(db, args);
    const parameters = template.slots.map((read) => read(args));
    return db.executeQuery<R>({ ...template.compiled, parameters } as CompiledQuery<R>);
  }

  async rows(db: Db, args: A): Promise<R[]> {
    return (await this.run(db, args)).rows;
  }

  async first(db: Db, args: A): Promise<R | undefined> {
    return (await this.run(db, args)).rows[0];
  }

  private templateFor(db: Db, args: A): Template {
    const adapter = db.getExecutor().adapter.constructor.name;
    const lengths = this.lists.map((name) => (args[name] as unknown[]).length);
    const deferred = this.options.deferrable === true && adapter === 'PostgresAdapter' && db.isTransaction;
    const key = `${adapter}:${deferred ? 'deferred:' : ''}${lengths.join(',')}`;
    let template = this.templates.get(key);
    if (template) return template;
    let compiled = this.build(db, standIns(this.lists, lengths) as A).compile();
    if (adapter === 'PostgresAdapter') nameStatement(compiled.sql);
    if (deferred) compiled = { ...compiled, sql: `${DEFERRED_MARK}${compiled.sql}` };
    template = {
      compiled,
      slots: compiled.parameters.map((p) => (p instanceof Slot ? reader(p.path) : () => p)),
    };
    if (this.templates.size >= SHAPES_PER_QUERY) this.templates.delete(this.templates.keys().next().value!);
    this.templates.set(key, template);
    return template;
  }
}

/** Stand-ins for the arguments: a Slot per scalar, arrays of element stand-ins for lists. */
function standIns(lists: readonly string[], lengths: readonly number[]): object {
  return new Proxy({}, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      const at = lists.indexOf(name);
      if (at < 0) return new Slot([name]);
      return Array.from({ length: lengths[at]! }, (_, i) => element([name, i]));
    },
  });
}

/** A list element's stand-in: itself a Slot, whose fields are Slots too (for lists of rows). */
function element(path: ReadonlyArray<string | number>): Slot {
  return new Proxy(new Slot(path), {
    get(target, name, receiver) {
      if (typeof name !== 'string' || name in target) return Reflect.get(target, name, receiver) as unknown;
      return new Slot([...path, name]);
    },
  });
}

/**
 * Reads the argument at `path`. The paths a query has are of one to three steps (a scalar, a
 * list element, a field of a list's row); a closure per length saves walking the path for each
 * of a 500-row insert's 4,000 parameters.
 */
function reader(path: ReadonlyArray<string | number>): (args: object) => unknown {
  type Tree = Record<string | number, unknown>;
  const [a, b, c] = path as [string, string | number, string | number];
  switch (path.length) {
    case 1: return (args) => (args as Tree)[a];
    case 2: return (args) => ((args as Tree)[a] as Tree)[b];
    case 3: return (args) => (((args as Tree)[a] as Tree)[b] as Tree)[c];
    default: return (args) => path.reduce<unknown>((value, step) => (value as Tree)[step], args);
  }
}
