using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cimaa.Storage.DynamoDb;

/// <summary>The table layout shared with zc.cimaa and dynamodb-config-store.</summary>
internal sealed record TableSpec(string Name, IReadOnlyList<(string Name, KeyType Type, ScalarAttributeType AttrType)> Keys,
    IReadOnlyList<(string Name, ScalarAttributeType Type)> ExtraAttributes, LocalSecondaryIndex? Index, string? TimeToLive = null)
{
    public string KeySchemaText => Describe(Keys.Select(k => (k.Name, k.Type.Value, (string?)k.AttrType.Value)));

    public static string Describe(IEnumerable<(string Name, string KeyType, string? AttrType)> keys) =>
        string.Join(", ", keys.Select(k => k.AttrType is null ? $"{k.Name} ({k.KeyType})" : $"{k.Name} ({k.KeyType} {k.AttrType})"));

    public static IReadOnlyList<TableSpec> For(ConnectionSettings s) =>
    [
        new(s.FaultsTable,
            [("agent", KeyType.HASH, ScalarAttributeType.S), ("name", KeyType.RANGE, ScalarAttributeType.S)],
            [("updated", ScalarAttributeType.N)],
            new LocalSecondaryIndex
            {
                IndexName = "updated",
                KeySchema = [new KeySchemaElement("agent", KeyType.HASH), new KeySchemaElement("updated", KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["since"] },
            }),
        new(s.SquelchesTable, [("regex", KeyType.HASH, ScalarAttributeType.S)], [], null),
        new(s.ConfigTable,
            [(s.ConfigStoreKey, KeyType.HASH, ScalarAttributeType.S), (s.ConfigOptionKey, KeyType.RANGE, ScalarAttributeType.S)], [], null),
        new(s.DataPointsTable,
            [("key", KeyType.HASH, ScalarAttributeType.S), ("offset", KeyType.RANGE, ScalarAttributeType.N)], [], null, "expires"),
        new(s.DataPointsIndexTable,
            [("dm", KeyType.HASH, ScalarAttributeType.S), ("bt", KeyType.RANGE, ScalarAttributeType.S)], [], null, "expires"),
        new(s.CredentialsTable, [("access_key_id", KeyType.HASH, ScalarAttributeType.S)], [], null),
    ];
}
