using System.Collections;
using System.Text;
using Cimaa.Agents;
using Cimaa.Faults;
using Cimaa.Metrics;
using Cimaa.Squelches;

namespace Cimaa.Report;

/// <summary>
/// The status page: reads faults, stale agents, squelches and the chosen metrics through the connection's services
/// (<see cref="BuildAsync"/>) and writes the page with <see cref="ReportHtml"/>, to a stream (the server) or a file
/// (Export-CimaaReport). Built by <see cref="CimaaClient"/> as <c>client.Report</c>.
/// </summary>
public sealed class ReportService(FaultService faults, AgentService agents, SquelchService squelches, IMetricClient metrics, TimeProvider clock)
{
    /// <summary>Streams drawn per metric; the page says how many more there are.</summary>
    public const int MaxStreamsPerMetric = 12;

    /// <summary>Points per sparkline: the window is averaged into this many slots.</summary>
    public const int SparklineSlots = 60;

    public async Task<ReportModel> BuildAsync(ReportRequest request, OpContext op)
    {
        request = request.Checked();
        var now = clock.GetUtcNow();
        var faultTask = ReadFaultsAsync(op);
        var staleTask = agents.GetStaleAsync(request.StaleAfter, op).ToListAsync(op.Token);
        var squelchTask = squelches.GetAllAsync(op);
        var sparkTask = SparklinesAsync(request, now, op);
        await Task.WhenAll(faultTask, staleTask, squelchTask, sparkTask).ConfigureAwait(false);

        var byAgent = await faultTask.ConfigureAwait(false);
        var silenced = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in byAgent.SelectMany(a => a.Faults))
        {
            if (f.Squelch is { } p) silenced[p] = silenced.GetValueOrDefault(p) + 1;
        }
        byAgent.Sort(AgentFaults.CompareWorstFirst);
        return new ReportModel
        {
            GeneratedAt = now,
            StaleAfter = request.StaleAfter,
            Window = request.Window,
            Agents = byAgent,
            StaleAgents = await staleTask.ConfigureAwait(false),
            Squelches = (await squelchTask.ConfigureAwait(false)).Select(s => new SquelchUse(s, silenced.GetValueOrDefault(s.Pattern))).ToList(),
            Sparklines = await sparkTask.ConfigureAwait(false),
        };
    }

    /// <summary>Builds the page and writes it to <paramref name="writer"/> (not flushed).</summary>
    public async Task<ReportModel> WriteAsync(ReportRequest request, TextWriter writer, ReportHtml.Options options, OpContext op)
    {
        var model = await BuildAsync(request, op).ConfigureAwait(false);
        ReportHtml.Write(writer, model, options);
        return model;
    }

    /// <summary>
    /// Writes the page as a self-contained file (no script), atomically: a temporary file in the same folder, flushed, then
    /// renamed over <paramref name="path"/>. A failure leaves no file under that name (and an existing one as it was).
    /// Returns the full path. ReportFileError when the folder is missing or the path is a folder.
    /// </summary>
    public async Task<string> ExportAsync(ReportRequest request, string path, OpContext op)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw FileError(path, CimaaErrorCategory.InvalidArgument, "it is a folder.");
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw FileError(path, CimaaErrorCategory.ObjectNotFound, $"the folder '{dir}' does not exist.");
        var model = await BuildAsync(request, op).ConfigureAwait(false);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
        try
        {
            using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 64 * 1024 }))
            {
                using (var text = new StreamWriter(file, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
                {
                    ReportHtml.Write(text, model, ReportHtml.Options.File);
                }
                file.Flush(flushToDisk: true);
            }
            op.Token.ThrowIfCancellationRequested();
            File.Move(temp, full, overwrite: true);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FileError(path, e is UnauthorizedAccessException ? CimaaErrorCategory.PermissionDenied : CimaaErrorCategory.WriteError, e.Message, e);
        }
        finally
        {
            try { File.Delete(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private async Task<List<AgentFaults>> ReadFaultsAsync(OpContext op)
    {
        var list = new List<AgentFaults>();
        var current = new List<Fault>();
        // Faults stream sorted by agent, then name.
        await foreach (var f in faults.GetAsync(new FaultQuery(), op).ConfigureAwait(false))
        {
            if (current.Count > 0 && current[0].Agent != f.Agent)
            {
                list.Add(new AgentFaults(current[0].Agent, current));
                current = [];
            }
            current.Add(f);
        }
        if (current.Count > 0) list.Add(new AgentFaults(current[0].Agent, current));
        return list;
    }

    private async Task<List<Sparkline>> SparklinesAsync(ReportRequest request, DateTimeOffset now, OpContext op)
    {
        var lines = new List<Sparkline>();
        var slot = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, request.Window.Ticks / SparklineSlots));
        foreach (var metric in request.Metrics.DistinctBy(m => m.Label))
        {
            var query = new MetricQuery([metric.Name], now - request.Window, now, MetricValidation.DefaultDomain, metric.Tags, slot);
            var streams = new List<(string Series, List<(long, decimal)> Points)>();
            var more = 0;
            string? series = null;
            await foreach (var p in metrics.QueryAsync(query, op).ConfigureAwait(false))
            {
                var s = Series(p.Tags);
                if (s != series)
                {
                    series = s;
                    if (streams.Count < MaxStreamsPerMetric) streams.Add((s, []));
                    else more++;
                }
                if (more == 0 && p.Value is decimal d) streams[^1].Points.Add((p.Timestamp.ToUnixTimeMilliseconds(), d));
            }
            if (streams.Count == 0) lines.Add(new Sparkline(metric, "", []));
            for (var i = 0; i < streams.Count; i++)
                lines.Add(new Sparkline(metric, streams[i].Series, streams[i].Points, i == streams.Count - 1 ? more : 0));
        }
        return lines;
    }

    private static string Series(IDictionary tags)
    {
        var parts = new List<string>();
        foreach (DictionaryEntry e in tags) parts.Add($"{e.Key}={(e.Value is string[] a ? string.Join("|", a) : e.Value)}");
        return string.Join(",", parts);
    }

    private static CimaaException FileError(string path, CimaaErrorCategory category, string reason, Exception? inner = null) =>
        new(ReportErrorIds.ReportFileError, category, $"Cannot write the report '{path}': {reason}", path, inner);
}

/// <summary>Error IDs of the status page's file export (not in the cmdlet contract).</summary>
public static class ReportErrorIds
{
    public const string ReportFileError = "ReportFileError";
}
