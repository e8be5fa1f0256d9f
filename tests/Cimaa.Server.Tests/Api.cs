using System.Net;
using System.Text;
using System.Text.Json;

namespace Cimaa.Server.Tests;

/// <summary>Small helpers to call the server and read its JSON.</summary>
public static class Api
{
    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> PostAsync(this ServerFixture server, string path, string json) =>
        await server.Http.PostAsync(path, Json(json));

    /// <summary>Sends a request and returns the status and the body as text.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(this ServerFixture server, HttpRequestMessage request)
    {
        using var response = await server.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asserts the status and that the body is <c>{"errors":[..]}</c> with at least one message; returns them.</summary>
    public static async Task<string[]> ErrorsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return Errors(body);
    }

    public static string[] Errors(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var errors = doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.NotEmpty(errors);
        return errors;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The <c>[[ms, v], ..]</c> of one result as (ms, decimal) pairs.</summary>
    public static (long Time, decimal Value)[] Values(JsonElement result) =>
        result.GetProperty("values").EnumerateArray().Select(v => (v[0].GetInt64(), v[1].GetDecimal())).ToArray();

    public static JsonElement[] Results(JsonElement root, int query = 0) =>
        root.GetProperty("queries")[query].GetProperty("results").EnumerateArray().ToArray();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
