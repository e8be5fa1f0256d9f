using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cimaa.Kairos;

/// <summary><c>{"errors":[..]}</c>, the body of every 4xx answer.</summary>
public sealed record KairosErrors([property: JsonPropertyName("errors")] IReadOnlyList<string> Errors);

/// <summary><c>{"results":[..]}</c>: metric names, tag names or tag values.</summary>
public sealed record KairosResults([property: JsonPropertyName("results")] IReadOnlyList<string> Results);

/// <summary><c>{"version":"Cimaa &lt;version&gt;"}</c>.</summary>
public sealed record KairosVersion([property: JsonPropertyName("version")] string Version);

/// <summary>Source-generated serialization of the small fixed bodies.</summary>
[JsonSerializable(typeof(KairosErrors))]
[JsonSerializable(typeof(KairosResults))]
[JsonSerializable(typeof(KairosVersion))]
public sealed partial class KairosJsonContext : JsonSerializerContext;

/// <summary>
/// The small bodies as UTF-8. Strings are escaped minimally (quotes, backslashes, control characters), not for HTML:
/// these bodies are served as application/json only, and error messages stay readable (<c>'foo'</c>, not <c>\u0027foo\u0027</c>).
/// </summary>
public static class KairosJson
{
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly KairosJsonContext Context = new(new JsonSerializerOptions { Encoder = Encoder });

    public static byte[] Errors(IEnumerable<string> errors) =>
        JsonSerializer.SerializeToUtf8Bytes(new KairosErrors(errors.ToList()), Context.KairosErrors);

    public static byte[] Results(IEnumerable<string> results) =>
        JsonSerializer.SerializeToUtf8Bytes(new KairosResults(results.ToList()), Context.KairosResults);

    public static byte[] Version(string version) =>
        JsonSerializer.SerializeToUtf8Bytes(new KairosVersion(version), Context.KairosVersion);
}
