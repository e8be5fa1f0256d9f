using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Cimaa.Storage.DynamoDb;

/// <summary>Attribute values in and out of DynamoDB items, as every store writes and reads them.</summary>
internal static class DynamoItems
{
    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>An N read as a whole number (a fraction written by another tool is truncated).</summary>
    public static long? Long(Dictionary<string, AttributeValue> item, string name) =>
        Exact(item, name) is { } n ? (long)n : null;

    /// <summary>An N read exactly, fractions kept (zc.cimaa writes time.time()).</summary>
    public static decimal? Exact(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is { } n ? decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    /// <summary>An S (or the text of an N).</summary>
    public static string? Str(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) ? v.S ?? v.N : null;
}
