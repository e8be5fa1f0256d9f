namespace Cimaa.Storage.Sqlite;

internal static class SqliteSchema
{
    public sealed record Table(string Name, string Keys);

    public static readonly Table[] Tables =
    [
        new("faults", "agent, name"),
        new("heartbeats", "agent"),
        new("squelches", "regex"),
        new("config", "store, option"),
        new("datapoints", "stream_key, offset_ms"),
        new("datapoints_index", "dm, bt"),
        new("credentials", "access_key_id"),
    ];

    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS faults (
            agent TEXT NOT NULL, name TEXT NOT NULL, severity INTEGER NOT NULL, message TEXT NOT NULL DEFAULT '',
            since INTEGER NOT NULL, updated INTEGER, triggered INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (agent, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS heartbeats (agent TEXT NOT NULL PRIMARY KEY, updated INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS heartbeats_updated ON heartbeats (updated);
        CREATE TABLE IF NOT EXISTS squelches (
            regex TEXT NOT NULL PRIMARY KEY, reason TEXT NOT NULL, user TEXT NOT NULL, time INTEGER NOT NULL,
            permanent INTEGER NOT NULL DEFAULT 0, expires INTEGER) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS config (
            store TEXT NOT NULL, option TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (store, option)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS datapoints (
            stream_key TEXT NOT NULL, offset_ms INTEGER NOT NULL, n TEXT, s TEXT, expires INTEGER NOT NULL,
            PRIMARY KEY (stream_key, offset_ms)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS datapoints_expires ON datapoints (expires);
        CREATE TABLE IF NOT EXISTS datapoints_index (
            dm TEXT NOT NULL, bt TEXT NOT NULL, expires INTEGER NOT NULL, PRIMARY KEY (dm, bt)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS datapoints_index_expires ON datapoints_index (expires);
        CREATE TABLE IF NOT EXISTS credentials (
            access_key_id TEXT NOT NULL PRIMARY KEY, secret_access_key TEXT NOT NULL, permissions TEXT NOT NULL DEFAULT '[]',
            state TEXT NOT NULL, created INTEGER NOT NULL, description TEXT) WITHOUT ROWID;
        """;
}
