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

    /// <summary>The config table's spec (its name and key names are connection settings).</summary>
    public static TableSpec Config(ConnectionSettings s) =>
        new(s.ConfigTable, [(s.ConfigStoreKey, KeyType.HASH, ScalarAttributeType.S), (s.ConfigOptionKey, KeyType.RANGE, ScalarAttributeType.S)], [], null);

    /// <summary>Throws MisconfiguredSchema when the table found has other keys than this layout.</summary>
    public void Validate(TableDescription found)
    {
        var types = (found.AttributeDefinitions ?? []).ToDictionary(a => a.AttributeName, a => a.AttributeType.Value);
        var foundKeys = (found.KeySchema ?? []).Select(k => (k.AttributeName, k.KeyType.Value, types.GetValueOrDefault(k.AttributeName))).ToList();
        var expected = Keys.Select(k => (k.Name, k.Type.Value, (string?)k.AttrType.Value)).ToList();
        if (!foundKeys.SequenceEqual(expected))
        {
            throw new CimaaException(ErrorIds.MisconfiguredSchema, CimaaErrorCategory.MetadataError,
                $"Table '{Name}' has the key schema [{Describe(foundKeys)}]; expected [{KeySchemaText}].", Name);
        }
    }

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
        Config(s),
        new(s.DataPointsTable,
            [("key", KeyType.HASH, ScalarAttributeType.S), ("offset", KeyType.RANGE, ScalarAttributeType.N)], [], null, "expires"),
        new(s.DataPointsIndexTable,
            [("dm", KeyType.HASH, ScalarAttributeType.S), ("bt", KeyType.RANGE, ScalarAttributeType.S)], [], null, "expires"),
        new(s.CredentialsTable, [("access_key_id", KeyType.HASH, ScalarAttributeType.S)], [], null),
    ];
}
