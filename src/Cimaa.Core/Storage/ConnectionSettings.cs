using System.Text.RegularExpressions;

namespace Cimaa.Storage;

/// <summary>Everything needed to open a store. Secrets live only here and are never formatted into text.</summary>
public sealed partial record ConnectionSettings
{
    public StoreKind Kind { get; init; } = StoreKind.Local;

    /// <summary>The SQLite file (Local).</summary>
    public string? Path { get; init; }

    public string? Region { get; init; }

    /// <summary>The metrics server (Server): its base URL; AccessKeyId and SecretAccessKey are then the access key.</summary>
    public Uri? ServerUrl { get; init; }
    public string TablePrefix { get; init; } = "cimaa.";
    public Uri? EndpointUrl { get; init; }
    public string? ProfileName { get; init; }
    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    public string? ConfigTableName { get; init; }
    public int MaxReadAttempts { get; init; } = 5;
    public int MaxWriteAttempts { get; init; } = 3;

    /// <summary>Key attribute names of the config table (dynamodb-config-store defaults).</summary>
    public string ConfigStoreKey { get; init; } = "_store";
    public string ConfigOptionKey { get; init; } = "_option";

    /// <summary>Retry backoff: the first delay's upper bound, doubled each retry, capped. Tests shorten it.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often Initialize-CimaaTable asks whether new tables are ACTIVE (on <see cref="Clock"/>). Tests shorten it.</summary>
    public TimeSpan TablePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one DynamoDB HTTP request may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Replaces the SDK's HttpClient factory (an Amazon.Runtime.HttpClientFactory); used to inject faults in tests.</summary>
    public object? HttpClientFactory { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Metric retention (expires = time + retention).</summary>
    public TimeSpan MetricRetention { get; init; } = TimeSpan.FromDays(30);

    public string FaultsTable => TablePrefix + "faults";
    public string SquelchesTable => TablePrefix + "squelches";
    public string ConfigTable => ConfigTableName ?? TablePrefix + "config";
    public string DataPointsTable => TablePrefix + "datapoints";
    public string DataPointsIndexTable => TablePrefix + "datapoints_index";
    public string CredentialsTable => TablePrefix + "credentials";

    /// <summary>Appends the '.' separator unless the prefix already ends with one.</summary>
    public static string NormalizePrefix(string? prefix)
    {
        prefix = string.IsNullOrEmpty(prefix) ? "cimaa" : prefix;
        var normalized = prefix.EndsWith('.') ? prefix : prefix + ".";
        if (!TableNameChars().IsMatch(normalized) || normalized.Length > 200)
        {
            throw new CimaaException(ErrorIds.InvalidTablePrefix, CimaaErrorCategory.InvalidArgument,
                $"The table prefix '{prefix}' is not valid: DynamoDB table names allow only a-z, A-Z, 0-9, '_', '-' and '.'.", prefix);
        }
        return normalized;
    }

    /// <summary>Checks the settings; throws InvalidConnection naming what is missing.</summary>
    public ConnectionSettings Validate()
    {
        if (Kind == StoreKind.DynamoDB && EndpointUrl is null && string.IsNullOrEmpty(Region))
        {
            throw new CimaaException(ErrorIds.InvalidConnection, CimaaErrorCategory.InvalidArgument,
                "A DynamoDB connection needs -Region, or -EndpointUrl for a local endpoint.");
        }
        if (Kind == StoreKind.Server) Http.ServerSettings.Validate(this);
        if (MaxReadAttempts < 1 || MaxWriteAttempts < 1)
        {
            throw new CimaaException(ErrorIds.InvalidConnection, CimaaErrorCategory.InvalidArgument,
                "MaxReadAttempts and MaxWriteAttempts must be at least 1.");
        }
        return this;
    }

    public override string ToString() => Kind switch
    {
        StoreKind.Local => $"Local {Path}",
        StoreKind.Server => $"Server {Http.ServerSettings.UrlText(ServerUrl)} {Region}",
        _ => $"DynamoDB {Region ?? EndpointUrl?.ToString()} {TablePrefix}",
    };

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex TableNameChars();
}
