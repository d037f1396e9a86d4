"""Model fields the core shares."""

from __future__ import annotations

from django.db import models

CODE_POINT_COLLATION = "C"


class CodePointCharField(models.CharField):
    """A ``CharField`` whose values PostgreSQL compares and orders by code point (``COLLATE "C"``).

    A person's name is sorted by it and searched by its first characters. Under the C collation one plain
    B-tree index on the column serves both (``ORDER BY name`` and ``name LIKE '王%'``); under any other
    collation a prefix needs an index of its own (``varchar_pattern_ops``), and a roster import pays for every
    index it writes. The order is the same on every server, whatever locale its database was made with: Han
    characters in code-point order follow their radical and stroke count (the Unicode ideographs' order), as
    every text column sorts in a database made as README "The database's collation" says. SQLite, the
    developer database, has no collation of that name: there the column keeps its default (binary, also by
    code point)."""

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql" and not self.db_collation:
            parameters["collation"] = CODE_POINT_COLLATION
        return parameters
