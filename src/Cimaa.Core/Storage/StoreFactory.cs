using System.Runtime.CompilerServices;

namespace Cimaa.Storage;

/// <summary>
/// Opens a store for the settings. Each backend is constructed in its own non-inlined method, so that SQLite
/// and the AWS SDK load only when a connection of that kind is first used.
/// </summary>
public static class StoreFactory
{
    public static ICimaaStore Open(ConnectionSettings settings) =>
        settings.Kind == StoreKind.DynamoDB ? OpenDynamoDb(settings) : OpenSqlite(settings);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ICimaaStore OpenDynamoDb(ConnectionSettings settings) => new DynamoDb.DynamoDbStore(settings);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ICimaaStore OpenSqlite(ConnectionSettings settings)
    {
        Sqlite.SqliteStore.CreateFile(settings.Path!);
        return new Sqlite.SqliteStore(settings);
    }
}
