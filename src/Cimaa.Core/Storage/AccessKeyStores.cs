using System.Runtime.CompilerServices;

namespace Cimaa.Storage;

/// <summary>
/// The access-key store over an opened store's backend. Each backend is reached in its own non-inlined method, so that
/// SQLite and the AWS SDK load only for a connection of that kind.
/// </summary>
public static class AccessKeyStores
{
    public static IAccessKeyStore For(ICimaaStore store) => store.Kind switch
    {
        StoreKind.DynamoDB => Dynamo(store),
        StoreKind.Local => Sqlite(store),
        _ => throw new ArgumentException($"A {store.Kind} store holds no access keys.", nameof(store)),
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IAccessKeyStore Dynamo(ICimaaStore store)
    {
        var dynamo = (DynamoDb.DynamoDbStore)store;
        return new DynamoDb.DynamoAccessKeyStore(dynamo.Client, dynamo.Caller, dynamo.Settings);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IAccessKeyStore Sqlite(ICimaaStore store)
    {
        var sqlite = (Sqlite.SqliteStore)store;
        return new Sqlite.SqliteAccessKeyStore(sqlite.OpenConnectionAsync, sqlite.Requests);
    }
}
