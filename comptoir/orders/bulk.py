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


# Values of these fields travel as they are: JSON carries them faithfully
# (a Decimal as its text), and the database casts them on the way in.
_PLAIN_FIELDS = (
    models.BooleanField,
    models.CharField,
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
)


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


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` in one statement; each maps field attnames to values.

    A field a row leaves out gets its default. Building plain dicts rather
    than model instances keeps a 400-row insert cheap in Python too.
    """
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    if connection.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_create([model(**row) for row in rows])
        return
    defaults = {field.attname: field.get_default() for field in fields}
    memo: dict[tuple[str, Any], Any] = {}

    def prepare(field: models.Field, value: Any) -> Any:
        if value is None or isinstance(field, _PLAIN_FIELDS):
            return value
        key = (field.attname, value)
        if key not in memo:
            memo[key] = _prepared(field, value)
        return memo[key]

    values = [
        [
            prepare(field, row.get(field.attname, defaults[field.attname]))
            for field in fields
        ]
        for row in rows
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
        cursor.execute(sql, [json.dumps(values, default=_json_default)])


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
    plain = [isinstance(field, _PLAIN_FIELDS) for field in concrete]
    payload = {
        str(pk): [
            value if is_plain or value is None else _prepared(field, value)
            for field, is_plain, value in zip(concrete, plain, new, strict=True)
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
