using System.Runtime.CompilerServices;

namespace Cimaa.Storage;

/// <summary>
/// Opens a store for the settings. Each backend is constructed in its own non-inlined method, so that SQLite
/// and the AWS SDK load only when a connection of that kind is first used.
/// </summary>
public static class StoreFactory
{
    public static ICimaaStore Open(ConnectionSettings settings) => settings.Kind switch
    {
        StoreKind.DynamoDB => OpenDynamoDb(settings),
        StoreKind.Server => throw NotSupported(settings, "This command"),
        _ => OpenSqlite(settings),
    };

    /// <summary>NotSupportedByConnection: a Server connection reaches the metrics only, through the server.</summary>
    public static CimaaException NotSupported(ConnectionSettings settings, string command) =>
        new(Http.ServerErrorIds.NotSupportedByConnection, CimaaErrorCategory.InvalidOperation,
            $"{command} does not work on a Server connection ({Http.ServerSettings.UrlText(settings.ServerUrl)}): through a metrics server only " +
            "Write-CimaaMetric, Get-CimaaMetric, Get-CimaaMetricName and Get-CimaaMetricTag work. Connect to the store itself " +
            "(Connect-Cimaa -Path, -Region or -ConfigFile) for this command.", Http.ServerSettings.UrlText(settings.ServerUrl));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ICimaaStore OpenDynamoDb(ConnectionSettings settings) => new DynamoDb.DynamoDbStore(settings);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ICimaaStore OpenSqlite(ConnectionSettings settings)
    {
        Sqlite.SqliteStore.CreateFile(settings.Path!);
        return new Sqlite.SqliteStore(settings);
    }
}
