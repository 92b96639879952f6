"""Write many rows in one statement, whatever their number.

Django's bulk_create and bulk_update split their work into batches on SQLite
(999 parameters per statement in Django 5.2), so an order of 200 lines would
take more statements than an order of one. Here the rows travel as one JSON
parameter that the database unpacks itself (json_each on SQLite, jsonb on
PostgreSQL): the number of statements stays the same whatever the number of
rows. Other databases fall back to Django's batched methods.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.db import connection, models


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} as JSON")


def _prepared(field: models.Field, value: Any) -> Any:
    # SQLite's adapters already turn dates into text; psycopg's do not.
    prepared = field.get_db_prep_save(value, connection)
    if isinstance(prepared, date | datetime):
        return prepared.isoformat()
    return prepared


def _column_reader(field: models.Field, index: int) -> str:
    """SQL reading column `index` of the JSON row `value`/`e`."""
    if connection.vendor == "sqlite":
        return f"json_extract(value, '$[{index}]')"
    return f"(e ->> {index})::{field.db_type(connection)}"


def insert_rows(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert `objects` (without primary keys) in one statement."""
    if not objects:
        return
    if connection.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_create(objects)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    rows = [
        [_prepared(field, getattr(obj, field.attname)) for field in fields]
        for obj in objects
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    readers = ", ".join(
        _column_reader(field, index) for index, field in enumerate(fields)
    )
    source = (
        "json_each(%s)"
        if connection.vendor == "sqlite"
        else "jsonb_array_elements(%s::jsonb) AS e"
    )
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"SELECT {readers} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows, default=_json_default)])


def update_rows(
    model: type[models.Model],
    *,
    values: Mapping[int, Sequence[Any]],
    fields: Sequence[str],
) -> None:
    """Set `fields` of each row whose primary key is a key of `values`.

    `values[pk]` lists the new values in the order of `fields`.
    """
    if not values:
        return
    if connection.vendor not in ("sqlite", "postgresql"):
        objects = []
        for pk, new in values.items():
            obj = model(pk=pk)
            for name, value in zip(fields, new, strict=True):
                setattr(obj, name, value)
            objects.append(obj)
        model._default_manager.bulk_update(objects, list(fields))
        return
    meta = model._meta
    concrete = [cast(models.Field, meta.get_field(name)) for name in fields]
    payload = {
        str(pk): [
            _prepared(field, value) for field, value in zip(concrete, new, strict=True)
        ]
        for pk, new in values.items()
    }
    quote = connection.ops.quote_name
    pk_column = quote(meta.pk.column)
    if connection.vendor == "sqlite":
        setters = [
            f"{quote(field.column)} = json_extract("
            f"%s, '$.\"' || {pk_column} || '\"[{index}]')"
            for index, field in enumerate(concrete)
        ]
        where = f"{pk_column} IN (SELECT CAST(key AS INTEGER) FROM json_each(%s))"
    else:
        setters = [
            f"{quote(field.column)} = ((%s::jsonb -> {pk_column}::text) "
            f"->> {index})::{field.db_type(connection)}"
            for index, field in enumerate(concrete)
        ]
        where = f"{pk_column} IN (SELECT jsonb_object_keys(%s::jsonb)::bigint)"
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(setters)} WHERE {where}"
    encoded = json.dumps(payload, default=_json_default)
    with connection.cursor() as cursor:
        cursor.execute(sql, [encoded] * (len(setters) + 1))
