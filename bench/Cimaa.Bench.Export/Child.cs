using System.Diagnostics;
using System.Globalization;
using Cimaa;
using Cimaa.Bench;
using Cimaa.Export;
using Cimaa.Storage;
using Microsoft.Data.Sqlite;

/// <summary>
/// One measured step in a fresh process: a warm-up (the same step on a small database of the same shape), a full GC, then the
/// step while a thread samples the working set and the managed heap every 5 ms. Prints "seconds wsMB heapMB records".
/// </summary>
internal static class Child
{
    public sealed record Figures(double Seconds, double WorkingSetMb, double HeapMb, long Records);

    public static Figures Start(string warm, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(Child).Assembly.Location);
        psi.ArgumentList.Add("--child");
        psi.ArgumentList.Add(warm);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"child {args[0]} failed: {error.Result} {output}");
        var parts = output.Trim().Split('\n')[^1].Split(' ');
        var f = new Figures(Parse(parts[0]), Parse(parts[1]), Parse(parts[2]), long.Parse(parts[3], CultureInfo.InvariantCulture));
        Console.WriteLine(FormattableString.Invariant($"  {args[0],-7} {f.Seconds,8:0.00} s  working set +{f.WorkingSetMb:0.0} MB  heap +{f.HeapMb:0.0} MB  {f.Records:N0} records"));
        return f;
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    public static async Task<int> RunAsync(string[] args)
    {
        var (warm, name) = (args[0], args[1]);
        args = args[1..];
        var scratch = Path.Combine(Path.GetDirectoryName(warm)!, "warm-" + Guid.NewGuid().ToString("N")[..6]);
        Func<Task<long>> step;
        switch (name)
        {
            case "select":
                await RawSelect(warm);
                step = () => RawSelect(args[1]);
                break;
            case "copy":
                await RawCopy(warm, scratch + ".db");
                step = () => RawCopy(args[1], args[2]);
                break;
            case "export":
                await (await PrepareExport(warm, scratch + Suffix(args[2])))();
                step = await PrepareExport(args[1], args[2]);
                break;
            case "import":
                await (await PrepareExport(warm, scratch + Suffix(args[1])))();
                await (await PrepareImport(scratch + Suffix(args[1]), scratch + ".db"))();
                step = await PrepareImport(args[1], args[2]);
                break;
            case "dynamo-import":
                await (await PrepareExport(warm, scratch + ".jsonl"))();
                await DynamoSteps.CreateTablesAsync(args[2], args[3] + "warm.");
                await DynamoSteps.Import(scratch + ".jsonl", args[2], args[3] + "warm.")();
                step = DynamoSteps.Import(args[1], args[2], args[3]);
                break;
            case "dynamo-export":
                await DynamoSteps.Export(args[1], args[2] + "warm.", scratch + ".jsonl")();
                step = DynamoSteps.Export(args[1], args[2], args[3]);
                break;
            case "dynamo-scan":
                await DynamoSteps.Scan(args[1], args[2] + "warm.")();
                step = DynamoSteps.Scan(args[1], args[2]);
                break;
            default:
                throw new ArgumentException(name);
        }
        using var sampler = MemorySampler.Start();
        var sw = Stopwatch.StartNew();
        var records = await step();
        var seconds = sw.Elapsed.TotalSeconds;
        var (heapMb, wsMb) = sampler.Stop();
        Console.WriteLine(FormattableString.Invariant($"{seconds:0.000} {wsMb:0.0} {heapMb:0.0} {records}"));
        return 0;
    }

    private static string Suffix(string file) => file.EndsWith(".gz", StringComparison.Ordinal) ? ".jsonl.gz" : ".jsonl";

    private static CimaaClient Open(string path) => StoreFactory.Open(new ConnectionSettings { Kind = StoreKind.Local, Path = path });

    private static async Task<Func<Task<long>>> PrepareExport(string source, string file)
    {
        var service = Open(source).Export;
        await Task.CompletedTask;
        return async () => (await service.ExportAsync(new ExportRequest(file, ExportTables.DefaultInclude, null, false), OpContext.None)).Sum(s => s.Records);
    }

    private static async Task<Func<Task<long>>> PrepareImport(string file, string target)
    {
        SqliteStoreFile.Create(target);
        var service = Open(target).Import;
        await Task.CompletedTask;
        return async () =>
        {
            using var plan = service.Plan(file, null, ImportMode.Merge, OpContext.None);
            return (await service.ImportAsync(plan, plan.Include, OpContext.None)).Sum(s => s.Records);
        };
    }

    private static readonly string[] Tables =
    [
        "SELECT agent, name, severity, message, since, updated, triggered FROM faults",
        "SELECT agent, updated FROM heartbeats",
        "SELECT regex, reason, user, time, permanent, expires FROM squelches",
        "SELECT store, option, data FROM config",
        "SELECT stream_key, offset_ms, n, s, expires FROM datapoints",
        "SELECT dm, bt, expires FROM datapoints_index",
    ];

    /// <summary>Every row of every table, every column read into a value, nothing written.</summary>
    private static Task<long> RawSelect(string path)
    {
        using var conn = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        conn.Open();
        long rows = 0, check = 0;
        foreach (var sql in Tables)
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows++;
                for (var i = 0; i < r.FieldCount; i++) check += r.IsDBNull(i) ? 0 : r.GetValue(i).GetHashCode() & 1;
            }
        }
        return Task.FromResult(rows + (check & 0));
    }

    /// <summary>Every row read and inserted into a new file in one transaction: the floor for an import.</summary>
    private static Task<long> RawCopy(string source, string target)
    {
        SqliteStoreFile.Create(target);
        using var conn = new SqliteConnection($"Data Source={target};Pooling=False");
        conn.Open();
        long rows = 0;
        using var tx = conn.BeginTransaction();
        using var src = new SqliteConnection($"Data Source={source};Mode=ReadOnly");
        src.Open();
        foreach (var sql in Tables)
        {
            var table = sql[(sql.LastIndexOf(' ') + 1)..];
            var columns = sql["SELECT ".Length..sql.IndexOf(" FROM", StringComparison.Ordinal)];
            var names = columns.Split(", ");
            using var insert = conn.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO {table} ({columns}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i))})";
            var parameters = names.Select((_, i) => insert.Parameters.Add("$p" + i, SqliteType.Text)).ToArray();
            using var read = src.CreateCommand();
            read.CommandText = sql;
            using var r = read.ExecuteReader();
            while (r.Read())
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i].SqliteType = r.IsDBNull(i) ? SqliteType.Text : r.GetFieldType(i) == typeof(long) ? SqliteType.Integer : r.GetFieldType(i) == typeof(double) ? SqliteType.Real : SqliteType.Text;
                    parameters[i].Value = r.IsDBNull(i) ? DBNull.Value : r.GetValue(i);
                }
                insert.ExecuteNonQuery();
                rows++;
            }
        }
        tx.Commit();
        return Task.FromResult(rows);
    }
}
