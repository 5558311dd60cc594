"""Each patient's data version: a number the database raises whenever anything the pages show changes.

A page's kept sections (the "pages" cache, lib.pages) are keyed by it: a request reads one number instead of
the diary, the treatments and the flags, and an edit of any of them makes a new key, so a kept section is
never stale and nothing has to be told to forget one.

The database raises it itself, with triggers installed by each app's migrations on the tables it owns
(`watch`): a change made any way at all (a form, an import's COPY, a Celery task, a bulk update, the admin,
psql) raises it in the same transaction as the change. On PostgreSQL a trigger runs once per statement,
so that a 20,000-line import raises it once; on SQLite (development) once per row.

A page must read the version before the data it shows: it then shows data at least as new as the
version it is kept under (PostgreSQL's READ COMMITTED sees each statement's latest commits), never older.
"""

from dataclasses import dataclass

from django.db import migrations

FUNCTION = "accounts_raise_data_version"


@dataclass(frozen=True)
class Watched:
    """A table whose rows belong to a patient: through its own `column`, or through `column` pointing at
    a row of `parent` whose `parent_column` is the patient (a dose's medication, for example)."""

    table: str
    column: str
    parent: str = ""
    parent_column: str = "patient_id"

    def patients(self, rows: str) -> str:
        """PostgreSQL: a query of the patients of the rows in the transition table `rows`."""
        if not self.parent:
            return f"SELECT {self.column} FROM {rows}"  # noqa: S608 - names from the migrations, never input
        return f"SELECT p.{self.parent_column} FROM {rows} r JOIN {self.parent} p ON p.id = r.{self.column}"  # noqa: S608

    def patient_of(self, row: str) -> str:
        """SQLite: the patient of the row `row` (NEW or OLD)."""
        if not self.parent:
            return f"{row}.{self.column}"
        return f"(SELECT {self.parent_column} FROM {self.parent} WHERE id = {row}.{self.column})"  # noqa: S608


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_raise_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- TG_ARGV[0]: a query of the changed rows' patients, reading the transition table "changed_rows".
  EXECUTE 'INSERT INTO accounts_dataversion (patient_id, number) '
       || 'SELECT DISTINCT patient, 1 FROM (' || TG_ARGV[0] || ') AS changed(patient) WHERE patient IS NOT NULL '
       || 'ON CONFLICT (patient_id) DO UPDATE SET number = accounts_dataversion.number + 1';
  RETURN NULL;
END $$;
"""

# An update has both tables: a row moved to another patient (which never happens here) changes both.
_POSTGRES_EVENTS = {
    "insert": ("INSERT", "NEW TABLE AS changed_rows"),
    "update": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS changed_rows"),
    "delete": ("DELETE", "OLD TABLE AS changed_rows"),
}


def _postgres(watched: Watched) -> list[str]:
    statements = []
    for name, (event, tables) in _POSTGRES_EVENTS.items():
        query = watched.patients("changed_rows")
        if name == "update":
            query += f" UNION {watched.patients('old_rows')}"
        argument = query.replace("'", "''")
        statements.append(
            f"CREATE OR REPLACE TRIGGER {watched.table}_data_version_{name} AFTER {event} ON {watched.table} "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{argument}')"
        )
    return statements


def _sqlite(watched: Watched) -> list[str]:
    statements = []
    new, old = watched.patient_of("NEW"), watched.patient_of("OLD")
    moved = f"{old} IS NOT {new}"  # an update that moves a row to another patient raises both
    for name, rows in (("insert", [(new, "")]), ("update", [(new, ""), (old, moved)]), ("delete", [(old, "")])):
        raises = " ".join(
            "INSERT INTO accounts_dataversion (patient_id, number) "
            f"SELECT {patient}, 1 WHERE {patient} IS NOT NULL{f' AND {condition}' if condition else ''} "
            "ON CONFLICT (patient_id) DO UPDATE SET number = number + 1;"
            for patient, condition in rows
        )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {watched.table}_data_version_{name} AFTER {name.upper()} "
            f"ON {watched.table} FOR EACH ROW BEGIN {raises} END"
        )
    return statements


def _drop(watched: Watched, vendor: str) -> list[str]:
    suffix = f" ON {watched.table}" if vendor == "postgresql" else ""
    return [f"DROP TRIGGER IF EXISTS {watched.table}_data_version_{name}{suffix}" for name in _POSTGRES_EVENTS]


def install_sql(vendor: str, watched: Watched) -> list[str]:
    if vendor == "postgresql":
        return _postgres(watched)
    if vendor == "sqlite":
        return _sqlite(watched)
    raise NotImplementedError(f"No data-version triggers for {vendor}.")


def watch(*tables: Watched) -> migrations.RunPython:
    """A migration operation that installs the triggers on `tables` (and removes them when reversed)."""

    def install(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(POSTGRES_FUNCTION)
        for watched in tables:
            for statement in install_sql(vendor, watched):
                schema_editor.execute(statement)

    def remove(apps, schema_editor):
        for watched in tables:
            for statement in _drop(watched, schema_editor.connection.vendor):
                schema_editor.execute(statement)

    install.watched = tables  # type: ignore[attr-defined]  # read by reinstall_on_sqlite
    return migrations.RunPython(install, remove, elidable=False)


def reinstall_on_sqlite(using: str = "default", **kwargs) -> None:
    """After every migrate (post_migrate, accounts/apps.py): SQLite drops a table's triggers when a later
    migration remakes the table (it copies it to a new one), so put back every trigger the migrations'
    `watch` operations install, where it is missing. PostgreSQL keeps triggers through ALTER TABLE."""
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for migration in MigrationLoader(connection, ignore_no_migrations=True).disk_migrations.values():
            for operation in migration.operations:
                for watched in getattr(getattr(operation, "code", None), "watched", ()):
                    if watched.table in tables:
                        for statement in _sqlite(watched):  # CREATE TRIGGER IF NOT EXISTS
                            cursor.execute(statement)
