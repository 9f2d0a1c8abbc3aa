"""The reference: pySigma 2.0.1 + pysigma-backend-sqlite 2.1.1 over the events in SQLite.

Events are loaded the way the backend's README describes (Zircolite's layout): one table `logs`,
one column per flattened field, named by its dotted path, declared `NUMERIC COLLATE NOCASE` so
that `=` ignores ASCII case as Sigma wants and numbers compare as numbers. JSON nulls and missing
fields are SQL NULL; booleans are 'true'/'false'. SQL has no arrays, so an event with an array
becomes one row per element (the cartesian product across arrays), all with the event's `id`; an
event matches when any of its rows does.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sqlite3

from sigma.backends.sqlite import sqliteBackend
from sigma.backends.sqlite.runtime import ensure_fields
from sigma.collection import SigmaCollection
from sigma.correlations import SigmaCorrelationRule

MAX_ROWS_PER_EVENT = 64


def flatten(value, prefix: str = "") -> list[dict]:
    """The rows of one JSON value: dotted keys to scalars; arrays multiply the rows."""
    if isinstance(value, dict):
        rows = [{}]
        for key, child in value.items():
            name = f"{prefix}.{key}" if prefix else key
            child_rows = flatten(child, name)
            rows = [dict(a, **b) for a, b in itertools.product(rows, child_rows)][:MAX_ROWS_PER_EVENT]
        return rows
    if isinstance(value, list):
        rows = []
        for element in value:
            rows.extend(flatten(element, prefix))
        return rows[:MAX_ROWS_PER_EVENT] or [{}]
    if isinstance(value, bool):
        return [{prefix: "true" if value else "false"}]
    return [{prefix: value}]


@contextlib.contextmanager
def quiet_stderr():
    """pySigma checks regexes with RE2, whose C++ logging writes each refused pattern to fd 2."""
    saved = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def regexp(pattern, value):
    return value is not None and re.search(pattern, str(value)) is not None


class Reference:
    def __init__(self, events: list[dict]):
        self.connection = sqlite3.connect(":memory:")
        self.connection.create_function("regexp", 2, regexp, deterministic=True)
        rows = [(event["id"], row) for event in events for row in flatten(event)]
        columns = sorted({name for _, row in rows for name in row} - {"id"})
        self.columns = {c.lower() for c in columns} | {"id"}
        definition = ", ".join(["id TEXT"] + [f"{quote(c)} NUMERIC COLLATE NOCASE" for c in columns])
        self.connection.execute(f"CREATE TABLE logs ({definition})")
        for event_id, row in rows:
            names = ["id"] + [name for name in row if name != "id"]
            values = [event_id] + [row[name] for name in names[1:]]
            self.connection.execute(
                f"INSERT INTO logs ({', '.join(map(quote, names))}) VALUES ({', '.join('?' * len(names))})",
                values)
        # Which event texts the NUMERIC columns turned into numbers with another spelling
        # (" 20" -> 20, "12.50" -> 12.5): the loader changed them, not Sigma.
        self.renumbered: set[tuple[str, str]] = set()
        for event_id, row in rows:
            for name, value in row.items():
                if self.renumbers(value):
                    self.renumbered.add((event_id, name))

    def renumbers(self, value) -> bool:
        """Whether a NUMERIC column (or a rule literal compared with one) reads this text as a
        number spelled differently."""
        if not isinstance(value, str):
            return False
        stored, kind = self.connection.execute(
            "SELECT CAST(CAST(? AS NUMERIC) AS TEXT), typeof(CAST(? AS NUMERIC))", (value, value)).fetchone()
        return kind != "text" and stored != value

    def backend(self) -> sqliteBackend:
        return sqliteBackend(timestamp_field="effective_at", timestamp_format="unix", event_id_field="id")

    def _ensure(self, backend: sqliteBackend, rules) -> None:
        fields = set()
        for rule in rules:
            if isinstance(rule, SigmaCorrelationRule):
                fields.update(rule.group_by or [])
                for alias in rule.aliases:
                    fields.update(alias.mapping.values())
                value_field = getattr(rule.condition, "fieldref", None)
                if isinstance(value_field, str):
                    fields.add(value_field)
            else:
                fields.update(backend.required_fields(rule))
        ensure_fields(self.connection, {"logs": sorted(fields)})

    def matches(self, yaml_text: str) -> set[str] | str:
        """Matched event ids, or the text of pySigma's refusal."""
        try:
            with quiet_stderr():
                collection = SigmaCollection.from_yaml(yaml_text)
                backend = self.backend()
                queries = backend.convert(collection)
            self._ensure(backend, collection.rules)
        except Exception as error:  # pySigma refusing the rule is a result, not a crash
            return f"{type(error).__name__}: {error}"
        matched = set()
        for query in queries:
            sql = query.replace("SELECT * FROM logs", "SELECT DISTINCT id FROM logs", 1)
            matched.update(row[0] for row in self.connection.execute(sql))
        return matched

    def correlation_alerts(self, yaml_text: str) -> list[dict] | str:
        """The rows of the correlation query: group keys, window end, event ids."""
        try:
            collection = SigmaCollection.from_yaml(yaml_text)
            backend = self.backend()
            queries = backend.convert(collection)
            self._ensure(backend, collection.rules)
        except Exception as error:
            return f"{type(error).__name__}: {error}"
        correlation = [q for q in queries if isinstance(q, str) and q.startswith("WITH ")]
        if len(correlation) != 1:
            return f"expected one correlation query, got {len(correlation)}"
        cursor = self.connection.execute(correlation[0])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]
