using System.Runtime.CompilerServices;
using Cimaa.Storage.DynamoDb;
using Cimaa.Storage.Http;
using Cimaa.Storage.Sqlite;

namespace Cimaa.Storage;

/// <summary>
/// Builds the client of a connection: the stores of its backend, then the services over them. Each backend is constructed
/// in its own non-inlined method, so that SQLite and the AWS SDK load only when a connection of that kind is first used.
/// </summary>
public static class StoreFactory
{
    /// <summary>
    /// The client of one connection. An SQLite file is created (mode 0600, WAL) if it does not exist. A Server connection
    /// has no stores: its client reaches the metrics through the server (<see cref="CimaaClient(ConnectionSettings, ServerMetricClient)"/>).
    /// </summary>
    public static CimaaClient Open(ConnectionSettings settings) =>
        settings.Kind == StoreKind.Server ? OpenServer(settings) : new(OpenStores(settings));

    /// <summary>The stores of the backend the settings name, without the services. A Server connection has none: NotSupportedByConnection.</summary>
    public static StoreBackend OpenStores(ConnectionSettings settings) => settings.Kind switch
    {
        StoreKind.DynamoDB => OpenDynamoDb(settings),
        StoreKind.Server => throw ServerSettings.NotSupported(settings, "This command"),
        _ => OpenSqlite(settings),
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CimaaClient OpenServer(ConnectionSettings settings) => new(settings, new ServerMetricClient(settings));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StoreBackend OpenDynamoDb(ConnectionSettings settings)
    {
        var table = new DynamoTableClient(settings);
        return new StoreBackend(StoreKind.DynamoDB, settings, table.Requests, table)
        {
            Faults = new DynamoFaultStore(table),
            Squelches = new DynamoSquelchStore(table),
            Config = new DynamoConfigStore(table),
            Metrics = new DynamoMetricStore(table),
            AccessKeys = new DynamoAccessKeyStore(table),
            Tables = new DynamoTableSetup(table),
        };
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StoreBackend OpenSqlite(ConnectionSettings settings)
    {
        var database = SqliteDatabase.Open(settings);
        return new StoreBackend(StoreKind.Local, settings, database.Requests, database)
        {
            Faults = new SqliteFaultStore(database),
            Squelches = new SqliteSquelchStore(database),
            Config = new SqliteConfigStore(database),
            Metrics = new SqliteMetricStore(database),
            AccessKeys = new SqliteAccessKeyStore(database),
            Tables = new SqliteTableSetup(database),
        };
    }
}
