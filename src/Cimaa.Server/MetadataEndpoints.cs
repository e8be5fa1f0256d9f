using Cimaa.Kairos;
using Microsoft.AspNetCore.Http;

namespace Cimaa.Server;

/// <summary>metricnames (<c>?prefix=</c>), tagnames and tagvalues of a domain: <c>{"results":[..]}</c>, sorted ordinally.</summary>
public sealed class MetadataEndpoints(ServerContext server)
{
    public async Task MetricNamesAsync(HttpContext ctx)
    {
        var request = ApiRequest.Of(ctx);
        var prefix = ctx.Request.Query["prefix"].ToString();
        var names = new List<string>();
        await foreach (var name in server.Backend.MetricNamesAsync(request.Domain, server.Op(ctx.RequestAborted)))
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) names.Add(name);
        }
        await ApiResponses.Write(ctx, StatusCodes.Status200OK, KairosJson.Results(names));
    }

    public Task TagNamesAsync(HttpContext ctx) => TagsAsync(ctx, values: false);

    public Task TagValuesAsync(HttpContext ctx) => TagsAsync(ctx, values: true);

    /// <summary>Every tag key (or value) of every metric of the domain.</summary>
    private async Task TagsAsync(HttpContext ctx, bool values)
    {
        var request = ApiRequest.Of(ctx);
        var op = server.Op(ctx.RequestAborted);
        var results = new SortedSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        await foreach (var name in server.Backend.MetricNamesAsync(request.Domain, op)) names.Add(name);
        foreach (var name in names)
        {
            await foreach (var tag in server.Backend.TagsAsync(request.Domain, name, op))
            {
                if (values) results.UnionWith(tag.Values);
                else results.Add(tag.Key);
            }
        }
        await ApiResponses.Write(ctx, StatusCodes.Status200OK, KairosJson.Results(results));
    }
}
