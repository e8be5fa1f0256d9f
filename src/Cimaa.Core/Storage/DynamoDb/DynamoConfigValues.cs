using System.Collections;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Cimaa.Config;

namespace Cimaa.Storage.DynamoDb;

/// <summary>Option values as DynamoDB attributes, as dynamodb-config-store writes them (the DynamoDB side of ConfigJson).</summary>
internal static class DynamoConfigValues
{
    /// <summary>A normalized value (null, string, bool, long or decimal, list, map) as a DynamoDB attribute: NULL, S, BOOL, N, L, M.</summary>
    public static AttributeValue ToAttribute(object? value) => value switch
    {
        null => new AttributeValue { NULL = true },
        string s => new AttributeValue { S = s },
        bool b => new AttributeValue { BOOL = b },
        long l => new AttributeValue { N = ConfigValues.FormatNumber(l) },
        decimal m => new AttributeValue { N = ConfigValues.FormatNumber(m) },
        double d => new AttributeValue { N = d.ToString("R", CultureInfo.InvariantCulture) },
        IDictionary map => new AttributeValue
        {
            M = map.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => ToAttribute(e.Value)),
        },
        IEnumerable list => new AttributeValue { L = list.Cast<object?>().Select(ToAttribute).ToList() },
        _ => throw new CimaaException(ErrorIds.InvalidConfigValue, CimaaErrorCategory.InvalidArgument,
            $"A {value.GetType().FullName} cannot be stored.", value),
    };

    /// <summary>Any DynamoDB attribute as a value: sets read as lists, binary as byte[].</summary>
    public static object? FromAttribute(AttributeValue a, string where, Action<string>? warn)
    {
        if (a.NULL == true) return null;
        if (a.S is not null) return a.S;
        if (a.N is not null) return ConfigValues.ParseNumber(a.N);
        if (a.BOOL is { } b) return b;
        if (a.M is not null)
        {
            return ConfigValues.FromPairs(a.M.Select(p => new KeyValuePair<string, object?>(p.Key, FromAttribute(p.Value, where, warn))).ToList(), where, warn);
        }
        if (a.L is not null) return a.L.Select(x => FromAttribute(x, where, warn)).ToArray();
        if (a.SS is not null) return a.SS.Cast<object?>().ToArray();
        if (a.NS is not null) return a.NS.Select(n => (object?)ConfigValues.ParseNumber(n)).ToArray();
        if (a.B is not null) return a.B.ToArray();
        if (a.BS is not null) return a.BS.Select(s => (object?)s.ToArray()).ToArray();
        return null;
    }
}
