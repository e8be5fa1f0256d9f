using System.Text;
using Cimaa.Kairos;
using Microsoft.AspNetCore.Http;

namespace Cimaa.Server;

/// <summary>
/// datapoints/query (POST, or GET with <c>?query=</c>) and datapoints/query/tags. The streams of every metric are found
/// before the first byte is sent, so a store that cannot answer is still a clean error; then the results stream, group
/// by group, through Core's grouping, engine and response writer.
/// </summary>
public sealed class QueryEndpoints(ServerContext server)
{
    public Task QueryAsync(HttpContext ctx) => RespondAsync(ctx, async (query, found, writer, ct) =>
    {
        long skipped = 0;
        for (var i = 0; i < query.Metrics.Count; i++)
        {
            var metric = query.Metrics[i];
            var stats = new KairosStats();
            writer.StartQuery();
            foreach (var group in KairosGrouping.Group<MetricStreamValues>(found[i], s => s.Tags, metric.GroupByTags))
            {
                var values = KairosEngine.RunAsync(group.Streams.Select(s => s.Values).ToList(), metric, query.StartMs, stats, ct);
                await writer.WriteResultAsync(metric.Name, metric.GroupByTags, group.Group, metric.ExcludeTags ? null : group.Tags, values, ct);
            }
            await writer.EndQueryAsync(metric.Name, stats.SampleSize, ct);
            skipped += stats.SkippedNonNumeric;
        }
        if (skipped > 0) server.Logger.SkippedNonNumeric(skipped);
    });

    public Task TagsAsync(HttpContext ctx) => RespondAsync(ctx, async (query, found, writer, ct) =>
    {
        for (var i = 0; i < query.Metrics.Count; i++)
        {
            writer.StartQuery();
            if (found[i].Count > 0) writer.WriteTagsResult(query.Metrics[i].Name, KairosGrouping.Multimap(found[i].Select(s => s.Tags)));
            await writer.EndQueryAsync(query.Metrics[i].Name, null, ct);
        }
    });

    /// <summary>
    /// Parses the query (or answers 400), finds each metric's streams, then writes 200 with the <c>queries</c> array, whose
    /// entries <paramref name="results"/> writes.
    /// </summary>
    private async Task RespondAsync(HttpContext ctx,
        Func<KairosQuery, List<IReadOnlyList<MetricStreamValues>>, KairosResponseWriter, CancellationToken, Task> results)
    {
        if (await ParseAsync(ctx) is not { } query) return;
        var ct = ctx.RequestAborted;
        var found = await FindAsync(ApiRequest.Of(ctx).Domain, query, ct);
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = ApiResponses.Json;
        await using var writer = new KairosResponseWriter(ctx.Response.Body);
        writer.StartQueries();
        await results(query, found, writer, ct);
        await writer.EndQueriesAsync(ct);
    }

    /// <summary>The query of the body (POST) or of <c>?query=</c> (GET); null after answering 400.</summary>
    private async Task<KairosQuery?> ParseAsync(HttpContext ctx)
    {
        var request = ApiRequest.Of(ctx);
        KairosParse<KairosQuery> parsed;
        if (HttpMethods.IsGet(ctx.Request.Method))
        {
            var text = ctx.Request.Query["query"];
            if (text.Count != 1 || string.IsNullOrEmpty(text[0]))
            {
                await ApiResponses.Errors(ctx, StatusCodes.Status400BadRequest, "give the query as ?query=<url-encoded JSON>, once");
                return null;
            }
            parsed = KairosQueryParser.Parse(Encoding.UTF8.GetBytes(text[0]!), server.Clock.GetUtcNow());
        }
        else
        {
            parsed = KairosQueryParser.Parse(request.Body.Content, server.Clock.GetUtcNow());
        }
        if (parsed.IsValid) return parsed.Value;
        await ApiResponses.Errors(ctx, StatusCodes.Status400BadRequest, parsed.Errors);
        return null;
    }

    private async Task<List<IReadOnlyList<MetricStreamValues>>> FindAsync(string domain, KairosQuery query, CancellationToken ct)
    {
        var op = server.Op(ct);
        var found = new List<IReadOnlyList<MetricStreamValues>>(query.Metrics.Count);
        foreach (var m in query.Metrics) found.Add(await server.Backend.StreamsAsync(domain, m.Name, query.StartMs, query.EndMs, m.Tags, op));
        return found;
    }
}
