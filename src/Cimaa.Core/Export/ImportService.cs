using Cimaa.Config;
using Cimaa.Metrics;
using Cimaa.Storage;

namespace Cimaa.Export;

public enum ImportMode
{
    /// <summary>Puts each record over what is stored; other records stay.</summary>
    Merge,

    /// <summary>Clears each imported table first.</summary>
    Replace,
}

/// <summary>A validated file and what it would write, per -Include name: the input of ShouldProcess, then of the import.</summary>
public sealed class ImportPlan : IDisposable
{
    internal ImportPlan(ExportFileReader reader, ExportFileSummary summary, IReadOnlyList<string> include, ImportMode mode)
    {
        Reader = reader;
        Header = summary.Header;
        Counts = summary.Counts;
        Include = include;
        Mode = mode;
    }

    internal ExportFileReader Reader { get; }

    public string Path => Reader.Path;
    public ExportHeader Header { get; }
    public ExportCounts Counts { get; }
    public ImportMode Mode { get; }

    /// <summary>The -Include names to import: those asked for (or all but access keys) that the file holds.</summary>
    public IReadOnlyList<string> Include { get; }

    /// <summary>"120 faults and 4 heartbeats": what one -Include name would write.</summary>
    public string Describe(string include) =>
        string.Join(" and ", ExportTables.TablesOf(include).Select(t => Counts[t] + " " + Noun(t, Counts[t] == 1)));

    private static string Noun(ExportTable table, bool one) => table switch
    {
        ExportTable.Faults => one ? "fault" : "faults",
        ExportTable.Heartbeats => one ? "heartbeat" : "heartbeats",
        ExportTable.Squelches => one ? "squelch" : "squelches",
        ExportTable.Config => one ? "config option" : "config options",
        ExportTable.Metrics => one ? "datapoint" : "datapoints",
        _ => one ? "access key" : "access keys",
    };

    public void Dispose() => Reader.Dispose();
}

/// <summary>
/// Imports an export file into one connection's stores: <see cref="Plan"/> validates the whole file first (nothing is written
/// for a bad file), then <see cref="ImportAsync"/> reads it again and writes in batches, with Replace clearing each table
/// first. Times, expiry and metric timestamps are written as the file has them. Access keys are never imported: the file has
/// no secrets. Built by <see cref="CimaaClient"/> as <c>client.Import</c>; the config and metric services are there for their
/// caches, which an import invalidates.
/// </summary>
public sealed class ImportService(StoreBackend stores, ConfigService config, MetricService metrics)
{
    private const string Activity = "Import-CimaaDatabase";

    /// <summary>Opens and validates the file, and picks the tables to import. The caller disposes the plan.</summary>
    public ImportPlan Plan(string path, IReadOnlyList<string>? include, ImportMode mode, OpContext op)
    {
        var asked = include is { Count: > 0 } ? ExportTables.Normalize(include, []) : null;
        if (asked is not null && asked.Contains(ExportTables.AccessKeys))
        {
            throw new ArgumentException("Access keys are never imported: an export holds no secrets.", nameof(include));
        }
        var reader = ExportFileReader.Open(path, new ExportReadOptions(null, stores.Settings.ConfigStoreKey, stores.Settings.ConfigOptionKey));
        try
        {
            op.Log.Verbose($"Validating {reader.Path}");
            var summary = reader.Validate((read, total) =>
                op.Log.Progress(new ProgressReport(ExportService.ProgressActivity, Activity, "Validating the file", (int)(read * 100 / Math.Max(1, total)))), op.Token);
            var inFile = summary.Header.Tables;
            foreach (var missing in (asked ?? []).Where(t => !inFile.Contains(t)))
                op.Log.Warning($"The file holds no {missing}; there is nothing to import for it.");
            if (asked is null && inFile.Contains(ExportTables.AccessKeys) && summary.Counts[ExportTable.AccessKeys] > 0)
                op.Log.Warning($"The {summary.Counts[ExportTable.AccessKeys]} access keys in the file are not imported: an export holds no secrets.");
            var chosen = (asked ?? inFile).Where(t => inFile.Contains(t) && t != ExportTables.AccessKeys).ToList();
            return new ImportPlan(reader, summary, chosen, mode);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Writes the approved -Include names of the plan (Replace clears each first) and reports one summary per record table.</summary>
    public async Task<IReadOnlyList<ImportSummary>> ImportAsync(ImportPlan plan, IReadOnlyCollection<string> approved, OpContext op)
    {
        var includes = plan.Include.Where(approved.Contains).ToList();
        var tables = includes.SelectMany(ExportTables.TablesOf).ToHashSet();
        var total = tables.Sum(t => plan.Counts[t]);
        var writer = new ImportWriter(stores, metrics.IndexCache, op, total);
        if (plan.Mode == ImportMode.Replace)
        {
            foreach (var include in includes) await ClearAsync(include, op);
        }
        try
        {
            foreach (var entry in plan.Reader.Records(tables, op.Token)) await writer.AddAsync(entry);
            await writer.FlushAsync();
        }
        catch
        {
            await writer.AbortAsync();
            throw;
        }
        finally
        {
            foreach (var s in writer.ConfigStores) config.Invalidate(s);
        }
        op.Log.Progress(new ProgressReport(ExportService.ProgressActivity, Activity, "Done", 100, Completed: true));
        return includes.SelectMany(ExportTables.TablesOf)
            .Select(t => new ImportSummary { Table = ExportTables.Name(t), Records = writer.Written(t), Mode = plan.Mode.ToString(), Path = plan.Path })
            .ToList();
    }

    /// <summary>Empties what one -Include name covers, with the stores' own deletes.</summary>
    private async Task ClearAsync(string include, OpContext op)
    {
        op.Log.Verbose($"Clearing {include}");
        switch (include)
        {
            case ExportTables.Faults:
                var agents = new SortedSet<string>(StringComparer.Ordinal);
                await foreach (var h in stores.Faults.GetHeartbeatsAsync(op).WithCancellation(op.Token)) agents.Add(h.Agent);
                await foreach (var f in stores.Faults.ScanFaultsAsync(op).WithCancellation(op.Token)) agents.Add(f.Agent);
                await Parallel.ForEachAsync(agents, Options(op), async (agent, ct) => await stores.Faults.DeleteAgentAsync(agent, op with { Token = ct }));
                break;
            case ExportTables.Squelches:
                var patterns = new List<string>();
                await foreach (var s in stores.Squelches.GetSquelchesAsync(op).WithCancellation(op.Token)) patterns.Add(s.Regex);
                await Parallel.ForEachAsync(patterns, Options(op), async (p, ct) => await stores.Squelches.DeleteSquelchAsync(p, op with { Token = ct }));
                break;
            case ExportTables.Config:
                foreach (var s in await stores.Config.GetConfigStoreNamesAsync(op).ToListAsync(op.Token))
                {
                    var options = new List<string>();
                    await foreach (var o in stores.Config.GetConfigOptionsAsync(s, consistentRead: true, op).WithCancellation(op.Token)) options.Add(o.Option);
                    await Parallel.ForEachAsync(options, Options(op), async (o, ct) => await stores.Config.DeleteConfigOptionAsync(s, o, op with { Token = ct }));
                    config.Invalidate(s);
                }
                break;
            case ExportTables.Metrics:
                await stores.Metrics.DeleteAllMetricsAsync(op);
                metrics.IndexCache.Clear();
                break;
        }
    }

    private ParallelOptions Options(OpContext op) => new() { MaxDegreeOfParallelism = stores.Faults.WriteConcurrency, CancellationToken = op.Token };
}
