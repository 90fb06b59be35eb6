"""A small PostgREST-compatible server (aiohttp) over a real PostgreSQL, for tests.

PostgREST itself can't run here, so this translates the subset of its API that `SupabaseStore` uses into SQL on a
real database with the real migrations, following PostgREST's documented behaviour (docs.postgrest.org, "Tables and
Views", "Functions as RPC", "Errors"):

- `GET /rest/v1/<table>`: `select`, filters `eq neq gt gte lt lte in is`, `order=a.asc,b.desc`, `limit`, `offset`;
  200 with a JSON array.
- `POST /rest/v1/<table>`: a JSON object or array of rows (`columns=` picks the keys; without it every object must
  have the same keys, else 400 PGRST102); `Prefer: return=minimal|representation`,
  `resolution=merge-duplicates|ignore-duplicates` with `on_conflict=` (default: the primary key); 201. A merge
  updates exactly the body's columns; ignore returns only the rows it inserted.
- `PATCH /rest/v1/<table>` with filters: 204, or 200 with the changed rows when `return=representation`.
- `POST /rest/v1/rpc/<fn>`: the body's keys are the named arguments (the overload whose argument names match),
  converted with `json_to_record` to the declared types; SETOF results as an array, others as one JSON value;
  unknown function → 404 PGRST202.
- Errors are PostgreSQL's fields (`code message details hint`) with PostgREST's status table: 23505/23503 → 409,
  08*/53* → 503, 42501 → 403, 40*/5x/others of the 5xx table → 500, anything else → 400.
- Each request runs in one transaction. `apikey` and `Authorization: Bearer` must carry the configured key, as
  Supabase's gateway demands (401 otherwise).

`injected_failures` lets a test make the next matching request fail with a status (before it reaches the database),
and `requests` records what was asked, so tests can prove that a failed write was not retried.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import Any

import psycopg
from aiohttp import web
from psycopg import sql

_OPERATORS = {"eq": "=", "neq": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_IS_VALUES = {"null": "NULL", "true": "TRUE", "false": "FALSE", "unknown": "UNKNOWN"}
_RESERVED = {"select", "order", "limit", "offset", "columns", "on_conflict"}


class PostgrestError(Exception):
    """An error answered in PostgREST's JSON shape."""

    def __init__(self, status: int, code: str, message: str, details: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details, self.hint = status, code, message, details, hint

    def response(self) -> web.Response:
        body = {"code": self.code, "details": self.details, "hint": self.hint, "message": self.message}
        return web.json_response(body, status=self.status)


def status_for_sqlstate(code: str) -> int:
    """PostgREST's table of PostgreSQL error codes → HTTP status."""
    exact = {"23503": 409, "23505": 409, "25006": 405, "42883": 404, "42P01": 404, "42501": 403, "53400": 500}
    if code in exact:
        return exact[code]
    prefixes = {"08": 503, "53": 503, "0L": 403, "0P": 403, "28": 403, "09": 500, "25": 500, "2D": 500, "38": 500}
    prefixes |= {"39": 500, "3B": 500, "40": 500, "54": 500, "55": 500, "57": 500, "58": 500, "F0": 500, "HV": 500}
    prefixes |= {"P0": 500, "XX": 500}
    if code == "P0001":
        return 400
    return prefixes.get(code[:2], 400)


@dataclass
class _Function:
    name: str
    arg_names: tuple[str, ...]
    arg_types: tuple[str, ...]
    returns_set: bool


@dataclass
class InjectedFailure:
    method: str
    path_suffix: str
    status: int
    remaining: int = 1


@dataclass
class FakePostgrest:
    """Serve `/rest/v1` for the database at `dsn`. `await start()` returns the base URL (the "Supabase URL")."""

    dsn: str
    api_key: str
    pool_size: int = 4
    requests: list[tuple[str, str]] = field(default_factory=list)
    injected_failures: list[InjectedFailure] = field(default_factory=list)
    _columns: dict[str, list[str]] = field(default_factory=dict)
    _primary_keys: dict[str, list[str]] = field(default_factory=dict)
    _functions: dict[str, list[_Function]] = field(default_factory=dict)
    _pool: asyncio.Queue[psycopg.AsyncConnection[Any]] = field(default_factory=asyncio.Queue)
    _connections: list[psycopg.AsyncConnection[Any]] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        for _ in range(self.pool_size):
            conn = await psycopg.AsyncConnection.connect(self.dsn)
            self._connections.append(conn)
            self._pool.put_nowait(conn)
        await self.reload_schema_cache()
        app = web.Application()
        app.router.add_route("POST", "/rest/v1/rpc/{function}", self._rpc)
        app.router.add_route("*", "/rest/v1/{table}", self._table)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = site._server.sockets[0].getsockname()  # type: ignore[union-attr]
        return f"http://{host}:{bound[1]}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        for conn in self._connections:
            await conn.close()

    def fail_next(self, method: str, path_suffix: str, status: int, times: int = 1) -> None:
        self.injected_failures.append(InjectedFailure(method, path_suffix, status, times))

    async def reload_schema_cache(self) -> None:
        """What PostgREST reads at start (and on NOTIFY pgrst): tables, columns, primary keys, functions."""
        conn = await self._pool.get()
        try:
            cur = await conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
            )
            self._columns = {}
            for table, column in await cur.fetchall():
                self._columns.setdefault(table, []).append(column)
            cur = await conn.execute(
                "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc"
                " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
                "  AND kcu.table_schema = tc.table_schema"
                " WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'"
                " ORDER BY tc.table_name, kcu.ordinal_position"
            )
            self._primary_keys = {}
            for table, column in await cur.fetchall():
                self._primary_keys.setdefault(table, []).append(column)
            cur = await conn.execute(
                "SELECT p.proname, coalesce(p.proargnames, '{}'),"
                " array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) AS t), p.proretset"
                " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE n.nspname = 'public' AND p.prokind = 'f'"
            )
            self._functions = {}
            for name, arg_names, arg_types, returns_set in await cur.fetchall():
                function = _Function(name, tuple(arg_names), tuple(arg_types), bool(returns_set))
                self._functions.setdefault(name, []).append(function)
            await conn.rollback()
        finally:
            self._pool.put_nowait(conn)

    # -- HTTP --------------------------------------------------------------------------------------------

    def _check(self, request: web.Request) -> None:
        self.requests.append((request.method, request.path_qs))
        bearer = request.headers.get("Authorization", "")
        if request.headers.get("apikey") != self.api_key or bearer != f"Bearer {self.api_key}":
            raise PostgrestError(401, "401", "Invalid API key", hint="Double check your Supabase API key.")
        for failure in self.injected_failures:
            if (
                failure.remaining > 0
                and request.method == failure.method
                and request.path.endswith(failure.path_suffix)
            ):
                failure.remaining -= 1
                raise PostgrestError(failure.status, str(failure.status), "injected failure")

    async def _table(self, request: web.Request) -> web.StreamResponse:
        try:
            self._check(request)
            table = request.match_info["table"]
            if table not in self._columns:
                raise PostgrestError(404, "PGRST205", f"Could not find the table 'public.{table}' in the schema cache")
            if request.method == "GET":
                return await self._select(request, table)
            if request.method == "POST":
                return await self._insert(request, table)
            if request.method == "PATCH":
                return await self._update(request, table)
            raise PostgrestError(405, "PGRST117", f"Unsupported HTTP method: {request.method}")
        except PostgrestError as exc:
            return exc.response()

    async def _rpc(self, request: web.Request) -> web.StreamResponse:
        try:
            self._check(request)
            return await self._call(request, request.match_info["function"])
        except PostgrestError as exc:
            return exc.response()

    # -- translation -------------------------------------------------------------------------------------

    def _column(self, table: str, name: str) -> sql.Identifier:
        if name not in self._columns[table]:
            raise PostgrestError(400, "42703", f"column {table}.{name} does not exist")
        return sql.Identifier(name)

    def _select_list(self, table: str, select: str | None) -> sql.Composable:
        if select is None or select.strip() == "*":
            return sql.SQL("*")
        return sql.SQL(", ").join(self._column(table, name.strip()) for name in select.split(","))

    def _where(self, request: web.Request, table: str, params: list[Any]) -> sql.Composable:
        conditions: list[sql.Composable] = []
        for key, value in request.query.items():
            if key in _RESERVED:
                continue
            self._column(table, key)
            column = sql.Identifier(table, key)  # qualified: an UPDATE's FROM row has the same column names
            operator, _, operand = value.partition(".")
            if operator in _OPERATORS:
                params.append(operand)
                conditions.append(sql.SQL("{} {} %s").format(column, sql.SQL(_OPERATORS[operator])))
            elif operator == "in":
                items = _parse_list(operand)
                params.extend(items)
                placeholders = sql.SQL(", ").join(sql.Placeholder() for _ in items)
                conditions.append(sql.SQL("{} IN ({})").format(column, placeholders) if items else sql.SQL("FALSE"))
            elif operator == "is" and operand in _IS_VALUES:
                conditions.append(sql.SQL("{} IS {}").format(column, sql.SQL(_IS_VALUES[operand])))
            else:
                raise PostgrestError(400, "PGRST100", f'"failed to parse filter ({value})"')
        if not conditions:
            return sql.SQL("")
        return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions)

    def _order_limit(self, request: web.Request, table: str | None) -> sql.Composable:
        parts: list[sql.Composable] = []
        order = request.query.get("order")
        if order:
            terms = []
            for term in order.split(","):
                name, *modifiers = term.split(".")
                column = self._column(table, name) if table is not None else sql.Identifier(name)
                words = {"asc": "ASC", "desc": "DESC", "nullsfirst": "NULLS FIRST", "nullslast": "NULLS LAST"}
                if any(m not in words for m in modifiers):
                    raise PostgrestError(400, "PGRST100", f'"failed to parse order ({order})"')
                terms.append(sql.SQL(" ").join([column, *(sql.SQL(words[m]) for m in modifiers)]))
            parts.append(sql.SQL(" ORDER BY ") + sql.SQL(", ").join(terms))
        for key in ("limit", "offset"):
            if key in request.query:
                if not request.query[key].isdigit():
                    raise PostgrestError(400, "PGRST100", f'"failed to parse {key}"')
                parts.append(sql.SQL(f" {key.upper()} ") + sql.Literal(int(request.query[key])))
        return sql.Composed(parts)

    @staticmethod
    def _prefer(request: web.Request) -> dict[str, str]:
        prefer: dict[str, str] = {}
        for header in request.headers.getall("Prefer", []):
            for item in header.split(","):
                key, _, value = item.strip().partition("=")
                prefer[key] = value
        return prefer

    async def _select(self, request: web.Request, table: str) -> web.Response:
        params: list[Any] = []
        inner = sql.SQL("SELECT {} FROM {}{}{}").format(
            self._select_list(table, request.query.get("select")),
            sql.Identifier(table),
            self._where(request, table, params),
            self._order_limit(request, table),
        )
        body = await self._json(sql.SQL("SELECT coalesce(json_agg(_r), '[]') FROM ({}) _r").format(inner), params)
        return _json_response(body, 200)

    async def _insert(self, request: web.Request, table: str) -> web.Response:
        payload = await _body(request)
        rows = payload if isinstance(payload, list) else [payload]
        if not all(isinstance(row, dict) for row in rows):
            raise PostgrestError(400, "PGRST102", "All object keys must match")
        if "columns" in request.query:
            names = [name.strip().strip('"') for name in request.query["columns"].split(",")]
        else:
            names = list(rows[0]) if rows else []
            if any(set(row) != set(names) for row in rows):
                raise PostgrestError(400, "PGRST102", "All object keys must match")
        columns = [self._column(table, name) for name in names]
        prefer = self._prefer(request)
        resolution = prefer.get("resolution")
        conflict: sql.Composable = sql.SQL("")
        if resolution in ("merge-duplicates", "ignore-duplicates"):
            targets = request.query.get("on_conflict")
            target_names = targets.split(",") if targets else self._primary_keys.get(table, [])
            target = sql.SQL(", ").join(self._column(table, name.strip()) for name in target_names)
            if resolution == "ignore-duplicates":
                conflict = sql.SQL(" ON CONFLICT ({}) DO NOTHING").format(target)
            else:
                updates = sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(column) for column in columns)
                conflict = sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(target, updates)
        column_list = sql.SQL(", ").join(columns)
        statement = sql.SQL(
            "WITH _written AS (INSERT INTO {table} ({cols}) SELECT {cols} FROM json_populate_recordset(NULL::{table},"
            " %s::json){conflict} RETURNING {table}.*) SELECT coalesce(json_agg(_r), '[]') FROM (SELECT {ret}"
            " FROM _written) _r"
        ).format(
            table=sql.Identifier(table),
            cols=column_list,
            conflict=conflict,
            ret=self._select_list(table, request.query.get("select")),
        )
        body = await self._json(statement, [json.dumps(rows)])
        return _json_response(body if prefer.get("return") == "representation" else None, 201)

    async def _update(self, request: web.Request, table: str) -> web.Response:
        payload = await _body(request)
        if not isinstance(payload, dict):
            raise PostgrestError(400, "PGRST102", "Expected a JSON object")
        params: list[Any] = [json.dumps(payload)]
        sets = sql.SQL(", ").join(sql.SQL("{0} = _body.{0}").format(self._column(table, name)) for name in payload)
        statement = sql.SQL(
            "WITH _written AS (UPDATE {table} SET {sets} FROM json_populate_record(NULL::{table}, %s::json) _body"
            "{where} RETURNING {table}.*) SELECT coalesce(json_agg(_r), '[]') FROM (SELECT {ret} FROM _written) _r"
        ).format(
            table=sql.Identifier(table),
            sets=sets,
            where=self._where(request, table, params),
            ret=self._select_list(table, request.query.get("select")),
        )
        body = await self._json(statement, params)
        if self._prefer(request).get("return") == "representation":
            return _json_response(body, 200)
        return _json_response(None, 204)

    async def _call(self, request: web.Request, name: str) -> web.Response:
        args = await _body(request) if request.can_read_body else {}
        if not isinstance(args, dict):
            raise PostgrestError(400, "PGRST102", "Expected a JSON object of arguments")
        candidates = [f for f in self._functions.get(name, []) if set(f.arg_names) == set(args)]
        if not candidates:
            raise PostgrestError(
                404,
                "PGRST202",
                f"Could not find the function public.{name}({', '.join(sorted(args))}) in the schema cache",
                hint="If a new function was created in the database with this name and parameters,"
                " try reloading the schema cache.",
            )
        function = candidates[0]
        record = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(arg), sql.SQL(arg_type))
            for arg, arg_type in zip(function.arg_names, function.arg_types, strict=True)
        )
        call_args = sql.SQL(", ").join(
            sql.SQL("{0} := _args.{0}").format(sql.Identifier(arg)) for arg in function.arg_names
        )
        call = sql.SQL("{}({})").format(sql.Identifier(name), call_args)
        arguments = sql.SQL("json_to_record(%s::json) AS _args({})").format(record)
        params: list[Any] = [json.dumps(args)]
        if function.returns_set:
            statement = sql.SQL(
                "SELECT coalesce(json_agg(_r), '[]') FROM (SELECT _f.* FROM {args}, LATERAL {call} _f{order}) _r"
            ).format(args=arguments, call=call, order=self._order_limit(request, None))
        else:
            statement = sql.SQL("SELECT to_json({call}) FROM {args}").format(call=call, args=arguments)
        return _json_response(await self._json(statement, params), 200)

    async def _json(self, statement: sql.Composed, params: list[Any]) -> str:
        """Run one statement in its own transaction; its single JSON value as text."""
        conn = await self._pool.get()
        try:
            async with conn.transaction():
                cur = await conn.execute(statement, params)
                row = await cur.fetchone()
        except psycopg.Error as exc:
            diag = exc.diag
            code = diag.sqlstate or "XX000"
            raise PostgrestError(
                status_for_sqlstate(code),
                code,
                diag.message_primary or str(exc),
                diag.message_detail,
                diag.message_hint,
            ) from None
        finally:
            self._pool.put_nowait(conn)
        value = row[0] if row else None
        return json.dumps(value)


def _parse_list(operand: str) -> list[str]:
    """`(a,b,"c,d")` → ['a', 'b', 'c,d'] (PostgREST's `in` list; double quotes protect commas)."""
    if not (operand.startswith("(") and operand.endswith(")")):
        raise PostgrestError(400, "PGRST100", f'"failed to parse filter (in.{operand})"')
    inner = operand[1:-1]
    return [item[1:-1] if item.startswith('"') else item for item in re.findall(r'"[^"]*"|[^,]+', inner)]


async def _body(request: web.Request) -> Any:
    try:
        return await request.json()
    except json.JSONDecodeError:
        raise PostgrestError(400, "PGRST102", "Empty or invalid json") from None


def _json_response(body: str | None, status: int) -> web.Response:
    if body is None or status == 204:
        return web.Response(status=status)
    return web.Response(status=status, text=body, content_type="application/json", charset="utf-8")
