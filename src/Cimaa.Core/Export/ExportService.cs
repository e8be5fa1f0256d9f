using System.Text.Json;
using Cimaa.Metrics;
using Cimaa.Storage;

namespace Cimaa.Export;

/// <summary>What Export-CimaaDatabase asks for. Include holds -Include names (<see cref="ExportTables"/>).</summary>
public sealed record ExportRequest(string Path, IReadOnlyList<string> Include, DateTimeOffset? MetricStart = null, bool Force = false)
{
    /// <summary>
    /// The request from what was given: the -Include names normalized (all but access keys when none), and -MetricStart read
    /// as <see cref="MetricTime.Parse"/> reads Get-CimaaMetric's times, a relative one against <paramref name="clock"/>
    /// (InvalidTime otherwise). Nothing is opened.
    /// </summary>
    public static ExportRequest Create(string path, IEnumerable<string>? include, object? metricStart, bool force, TimeProvider clock) =>
        new(path, ExportTables.Normalize(include, ExportTables.DefaultInclude),
            metricStart is null ? null : MetricTime.Parse(metricStart, clock.GetUtcNow()), force);
}

/// <summary>
/// Streams every record of the selected tables of one connection's stores into an export file (<see cref="ExportWriter"/>):
/// faults (every agent's, by a full read), then heartbeats; squelches; config, store by store; metrics, metric by metric and
/// column by column from the index, skipping what has expired as reads do. Nothing is held but the record being written (and
/// the metric names and config store names). Built by <see cref="CimaaClient"/> as <c>client.Export</c>.
/// </summary>
public sealed class ExportService(StoreBackend stores, TimeProvider clock)
{
    public const int ProgressActivity = 4;
    private const string Activity = "Export-CimaaDatabase";
    private const int ProgressEvery = 5000;

    public async Task<IReadOnlyList<ExportSummary>> ExportAsync(ExportRequest request, OpContext op)
    {
        var include = ExportTables.Normalize(request.Include, ExportTables.DefaultInclude);
        var header = ExportHeader.Create(stores.Kind, clock.GetUtcNow(), include, request.MetricStart);
        var full = System.IO.Path.GetFullPath(request.Path);
        using var writer = ExportWriter.Create(full, header, request.Force);
        var progress = new Progress(op);
        foreach (var name in include)
        {
            switch (name)
            {
                case ExportTables.Faults:
                    await foreach (var f in stores.Faults.ScanFaultsAsync(op).WithCancellation(op.Token)) progress.Wrote(ExportTable.Faults, () => writer.Write(f));
                    await foreach (var h in stores.Faults.GetHeartbeatsAsync(op).WithCancellation(op.Token)) progress.Wrote(ExportTable.Heartbeats, () => writer.Write(h));
                    break;
                case ExportTables.Squelches:
                    await foreach (var s in stores.Squelches.GetSquelchesAsync(op).WithCancellation(op.Token)) progress.Wrote(ExportTable.Squelches, () => writer.Write(s));
                    break;
                case ExportTables.Config:
                    var names = await stores.Config.GetConfigStoreNamesAsync(op).ToListAsync(op.Token);
                    foreach (var s in names)
                    {
                        await foreach (var o in stores.Config.GetConfigOptionsAsync(s, consistentRead: true, op).WithCancellation(op.Token))
                            progress.Wrote(ExportTable.Config, () => writer.Write(o));
                    }
                    break;
                case ExportTables.Metrics:
                    await foreach (var p in MetricPointsAsync(request.MetricStart, op).WithCancellation(op.Token)) progress.Wrote(ExportTable.Metrics, () => writer.Write(p));
                    break;
                case ExportTables.AccessKeys:
                    await foreach (var k in stores.AccessKeys.GetAccessKeysAsync(op).WithCancellation(op.Token))
                        progress.Wrote(ExportTable.AccessKeys, () => writer.Write(WithoutSecret(k)));
                    break;
            }
        }
        op.Token.ThrowIfCancellationRequested();
        writer.Commit();
        progress.Done();
        op.Log.Verbose($"Wrote {writer.Counts.Total} records to {full}");
        return include.SelectMany(ExportTables.TablesOf)
            .Select(t => new ExportSummary { Table = ExportTables.Name(t), Records = writer.Counts[t], Path = full })
            .ToList();
    }

    /// <summary>
    /// Every unexpired point, from the index: metric names from one scan of the index, then per name its columns (from the
    /// column of <paramref name="start"/> on), then per column its points (from <paramref name="start"/> on).
    /// </summary>
    private async IAsyncEnumerable<MetricPointRecord> MetricPointsAsync(DateTimeOffset? start, OpContext op)
    {
        var now = Epoch.Now(clock);
        var startMs = Math.Max(0, start?.ToUnixTimeMilliseconds() ?? 0);
        var from = start is null ? null : MetricKeys.Pad(MetricKeys.BaseTime(startMs)) + MetricKeys.Separator;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var e in stores.Metrics.ScanMetricIndexAsync("", op).WithCancellation(op.Token)) names.Add(e.DomainMetric);
        foreach (var dm in names)
        {
            var bar = dm.IndexOf(MetricKeys.Separator);
            if (bar < 0) continue;
            var (domain, name) = (dm[..bar], dm[(bar + 1)..]);
            await foreach (var column in stores.Metrics.GetMetricIndexAsync(dm, from, null, op).WithCancellation(op.Token))
            {
                if (column.Expires <= now) continue;
                var (baseTime, tagString) = MetricKeys.ParseBaseTag(column.BaseTag);
                var tags = MetricKeys.ParseTags(tagString);
                var key = MetricKeys.Key(domain, name, baseTime, tagString);
                await foreach (var p in stores.Metrics.GetDataPointsAsync(key, Math.Max(0, startMs - baseTime), MetricKeys.ColumnMs - 1, op).WithCancellation(op.Token))
                {
                    if (p.Expires <= now) continue;
                    if (p.Json is { } json && !IsJson(json))
                    {
                        op.Log.Warning($"Skipped the point of {dm} at {baseTime + p.Offset} ms: its stored value is not JSON.");
                        continue;
                    }
                    yield return new MetricPointRecord(domain, name, tags, baseTime + p.Offset, p.Number, p.Json, p.Expires);
                }
            }
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Counts what is written and reports it every few thousand records (the total is unknown, so no percentage).</summary>
    /// <summary>What an export keeps of a key: everything but the secret.</summary>
    private static ExportedAccessKey WithoutSecret(AccessKeyItem k) =>
        new(k.AccessKeyId, k.Permissions, k.State, k.Created, k.Description ?? "");

    private sealed class Progress(OpContext op)
    {
        private long _written;

        public void Wrote(ExportTable table, Action write)
        {
            write();
            if (++_written % ProgressEvery == 0)
                op.Log.Progress(new ProgressReport(ProgressActivity, Activity, $"{_written} records written ({ExportTables.Name(table)})"));
        }

        public void Done()
        {
            if (_written >= ProgressEvery) op.Log.Progress(new ProgressReport(ProgressActivity, Activity, $"{_written} records written", 100, Completed: true));
        }
    }
}
