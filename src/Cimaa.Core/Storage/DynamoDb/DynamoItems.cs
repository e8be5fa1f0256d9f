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
        item.TryGetValue(name, out var v) && v.N is { } n
            ? long.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? whole : (long)ParseDecimal(n)
            : null;

    /// <summary>
    /// An N read exactly, fractions kept (zc.cimaa writes time.time()). A whole number, as Cimaa writes, is read as a long
    /// first: the same value (scale 0) without decimal parsing, once per item of every read.
    /// </summary>
    public static decimal? Exact(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is { } n
            ? long.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? whole : ParseDecimal(n)
            : null;

    private static decimal ParseDecimal(string n) => decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>An S (or the text of an N).</summary>
    public static string? Str(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) ? v.S ?? v.N : null;
}
