using Cimaa.AccessKeys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cimaa.Server;

/// <summary>
/// The KairosDB v1 paths, each twice: <c>/api/v1/&lt;rest&gt;</c> on the domain <c>default</c>, and
/// <c>/api/v1/&lt;domain&gt;/&lt;rest&gt;</c> (Amondawa). Every handler is thin: the gate has authorized the request, Core
/// does the work.
/// </summary>
public static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerContext server)
    {
        var write = new WriteEndpoint(server);
        var query = new QueryEndpoints(server);
        var metadata = new MetadataEndpoints(server);
        var health = new HealthEndpoints(server);

        Api(app, "datapoints", ["POST"], AccessOp.Write, write.HandleAsync);
        Api(app, "datapoints/query", ["POST", "GET"], AccessOp.Read, query.QueryAsync);
        Api(app, "datapoints/query/tags", ["POST"], AccessOp.Read, query.TagsAsync);
        Api(app, "metricnames", ["GET"], AccessOp.Read, metadata.MetricNamesAsync);
        Api(app, "tagnames", ["GET"], AccessOp.Read, metadata.TagNamesAsync);
        Api(app, "tagvalues", ["GET"], AccessOp.Read, metadata.TagValuesAsync);
        Api(app, "version", ["GET"], null, HealthEndpoints.VersionAsync);
        Api(app, "health/check", ["GET"], null, health.CheckAsync);
        Api(app, "health/status", ["GET"], null, health.StatusAsync);
        // The status page checks the method itself, so that every other method gets 405 with Allow.
        app.Map("/", new StatusPage(server).HandleAsync);
    }

    private static void Api(IEndpointRouteBuilder app, string rest, string[] methods, AccessOp? op, RequestDelegate handler)
    {
        app.MapMethods("/api/v1/" + rest, methods, handler).WithMetadata(new ApiAccess(op));
        app.MapMethods("/api/v1/{domain}/" + rest, methods, handler).WithMetadata(new ApiAccess(op));
    }
}
