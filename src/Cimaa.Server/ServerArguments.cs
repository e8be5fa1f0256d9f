using System.Globalization;
using Cimaa.AccessKeys;
using Cimaa.Storage;

namespace Cimaa.Server;

/// <summary>A command line the server cannot start with; the message says what to change.</summary>
public sealed class ServerArgumentException(string message) : Exception(message);

/// <summary>
/// Reads the command line. The store comes from the same sources as the module's, in the same order: <c>--config</c> (an agent
/// INI file), <c>--db</c> (an SQLite file), or <c>--endpoint-url/--region/--table-prefix</c> (DynamoDB); else CIMAA_CONFIG,
/// else CIMAA_DB, else the default SQLite file (Core's <see cref="DefaultLocation"/> and <see cref="AgentConfigFile"/>).
/// </summary>
public static class ServerArguments
{
    public const string Usage = """
        Usage: Cimaa.Server [options]
          --db <path>                  SQLite file (created if missing; its folder must exist)
          --config <file>              zc.cimaa agent INI file ([database] section)
          --endpoint-url <url>         DynamoDB endpoint (e.g. a local DynamoDB)
          --region <region>            DynamoDB region, and the region requests are signed for (default us-west-2)
          --table-prefix <prefix>      DynamoDB table prefix (default cimaa)
          --urls <url;url>             where to listen (default http://127.0.0.1:8080)
          --anonymous <perm,..>        permissions of unsigned requests, e.g. default:rw or *:r (default none)
          --dashboard-metric <metric>  a sparkline of the status page: name or name{tag=value,..} (repeatable)
          --max-body-bytes <n>         largest request body, also once decompressed (default 10485760)
          --max-points <n>             most points in one write (default 100000)
        Without a store option: $CIMAA_CONFIG, else $CIMAA_DB, else ~/.local/share/cimaa/cimaa.db.
        """;

    private static readonly HashSet<string> Known =
    [
        "--db", "--config", "--endpoint-url", "--region", "--table-prefix", "--urls", "--anonymous", "--dashboard-metric",
        "--max-body-bytes", "--max-points",
    ];

    /// <summary>Bodies are held in memory: at most 1 GiB.</summary>
    public const long MaxBodyLimit = 1L << 30;

    private static readonly HashSet<string> Repeatable = ["--anonymous", "--dashboard-metric"];

    /// <summary>True when the command line asks for the usage text.</summary>
    public static bool WantsHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    public static ServerOptions Parse(IReadOnlyList<string> args, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var values = Read(args);
        string? One(string name) => values.TryGetValue(name, out var v) ? v[^1] : null;

        var db = One("--db");
        var config = One("--config");
        var endpoint = One("--endpoint-url");
        var region = One("--region");
        var prefix = One("--table-prefix");
        if (db is not null && config is not null) throw new ServerArgumentException("Give --db or --config, not both.");
        if ((db ?? config) is not null && (endpoint ?? prefix) is not null)
            throw new ServerArgumentException("--endpoint-url and --table-prefix are for a DynamoDB store; they cannot go with --db or --config.");

        ConnectionSettings store;
        try
        {
            if (config is not null) store = AgentConfigFile.Load(Path.GetFullPath(config));
            else if (db is not null) store = new ConnectionSettings { Kind = StoreKind.Local, Path = Path.GetFullPath(db) };
            else if ((endpoint ?? region ?? prefix) is not null) store = Dynamo(endpoint, region, prefix);
            else store = Implicit(env);
        }
        catch (CimaaException e)
        {
            throw new ServerArgumentException(e.Message);
        }

        var anonymous = PermissionSet.Empty;
        try
        {
            anonymous = PermissionSet.Parse(values.GetValueOrDefault("--anonymous", [])
                .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
        }
        catch (CimaaException e)
        {
            throw new ServerArgumentException("--anonymous: " + e.Message);
        }

        var dashboard = values.GetValueOrDefault("--dashboard-metric", []);
        try
        {
            foreach (var spec in dashboard) Report.ReportMetric.Parse(spec);
        }
        catch (CimaaException e)
        {
            throw new ServerArgumentException("--dashboard-metric: " + e.Message);
        }

        var urls = One("--urls") is { } u
            ? u.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [ServerOptions.DefaultUrl];
        if (urls.Length == 0) throw new ServerArgumentException("--urls names no URL.");

        return new ServerOptions
        {
            Store = store,
            // One setting names the signing region: --region, else the DynamoDB store's own region, else Amondawa's default.
            Region = region ?? (store.Kind == StoreKind.DynamoDB ? store.Region : null) ?? ServerOptions.DefaultRegion,
            Urls = urls,
            Anonymous = anonymous,
            DashboardMetrics = dashboard,
            MaxBodyBytes = Number(One("--max-body-bytes"), "--max-body-bytes", ServerOptions.DefaultMaxBodyBytes, MaxBodyLimit),
            MaxPoints = (int)Number(One("--max-points"), "--max-points", Kairos.KairosLimits.DefaultMaxPoints, 10_000_000),
        };
    }

    private static Dictionary<string, List<string>> Read(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name, value;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }
            else
            {
                name = arg;
                if (Known.Contains(name) && i + 1 >= args.Count) throw new ServerArgumentException($"{name} needs a value.");
                value = i + 1 < args.Count ? args[i + 1] : "";
                i++;
            }
            if (!Known.Contains(name)) throw new ServerArgumentException($"Unknown option '{name}'. Run with --help for the options.");
            if (value.Length == 0) throw new ServerArgumentException($"{name} needs a value.");
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            else if (!Repeatable.Contains(name)) throw new ServerArgumentException($"{name} is given more than once.");
            list.Add(value);
        }
        return values;
    }

    private static ConnectionSettings Dynamo(string? endpoint, string? region, string? prefix)
    {
        Uri? uri = null;
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
            throw new ServerArgumentException($"--endpoint-url '{endpoint}' is not an absolute http(s) URL.");
        return new ConnectionSettings
        {
            Kind = StoreKind.DynamoDB,
            EndpointUrl = uri,
            Region = region,
            TablePrefix = ConnectionSettings.NormalizePrefix(prefix),
        }.Validate();
    }

    /// <summary>The module's implicit connection; the default SQLite file's folder is created, as Connect-Cimaa does.</summary>
    private static ConnectionSettings Implicit(Func<string, string?> env)
    {
        var settings = DefaultLocation.Resolve(env);
        if (string.IsNullOrEmpty(env("CIMAA_CONFIG")) && string.IsNullOrEmpty(env("CIMAA_DB")) && settings.Path is { } path)
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return settings;
    }

    private static long Number(string? text, string name, long fallback, long max)
    {
        if (text is null) return fallback;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > max)
            throw new ServerArgumentException($"{name} must be a whole number from 1 to {max}.");
        return n;
    }
}
