namespace Cimaa.Storage;

/// <summary>Reads the [database] section of a zc.cimaa agent INI file.</summary>
public static class AgentConfigFile
{
    public static ConnectionSettings Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CimaaException(ErrorIds.InvalidConfigFile, CimaaErrorCategory.ReadError,
                $"Cannot read the config file '{path}': {e.Message}", path, e);
        }
        return Parse(text, path);
    }

    public static ConnectionSettings Parse(string text, string path)
    {
        var db = ReadSection(text, "database");
        if (db is null) throw Invalid(path, "it has no [database] section");
        db.TryGetValue("class", out var cls);
        cls ??= "";
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (cls.StartsWith("zc.cimaa.dynamodb", StringComparison.Ordinal))
        {
            db.TryGetValue("endpoint_url", out var endpoint);
            Uri? endpointUri = null;
            if (!string.IsNullOrEmpty(endpoint) && !Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUri))
                throw Invalid(path, $"endpoint_url '{endpoint}' is not an absolute URL");
            return new ConnectionSettings
            {
                Kind = StoreKind.DynamoDB,
                Region = db.GetValueOrDefault("region"),
                TablePrefix = ConnectionSettings.NormalizePrefix(db.GetValueOrDefault("prefix")),
                EndpointUrl = endpointUri,
                AccessKeyId = db.GetValueOrDefault("aws_access_key_id"),
                SecretAccessKey = db.GetValueOrDefault("aws_secret_access_key"),
            }.Validate();
        }
        if (cls.StartsWith("cimaa.sqlite", StringComparison.Ordinal))
        {
            var dbPath = db.GetValueOrDefault("path");
            dbPath = string.IsNullOrEmpty(dbPath) ? DefaultLocation.DatabasePath() : Path.GetFullPath(Path.Combine(baseDir, dbPath));
            return new ConnectionSettings { Kind = StoreKind.Local, Path = dbPath };
        }
        throw Invalid(path, $"[database] class '{cls}' is neither zc.cimaa.dynamodb nor cimaa.sqlite");
    }

    private static CimaaException Invalid(string path, string what) =>
        new(ErrorIds.InvalidConfigFile, CimaaErrorCategory.InvalidData, $"The config file '{path}' is not usable: {what}.", path);

    /// <summary>Python configparser subset: [section], key = value or key: value, ';'/'#' comments, indented continuation lines.</summary>
    internal static Dictionary<string, string>? ReadSection(string text, string section)
    {
        Dictionary<string, string>? result = null;
        string? current = null;
        string? lastKey = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';') continue;
            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                current = trimmed[1..^1].Trim();
                lastKey = null;
                if (string.Equals(current, section, StringComparison.OrdinalIgnoreCase)) result ??= new(StringComparer.OrdinalIgnoreCase);
                continue;
            }
            if (result is null || !string.Equals(current, section, StringComparison.OrdinalIgnoreCase)) continue;
            if (char.IsWhiteSpace(line[0]) && lastKey is not null)
            {
                result[lastKey] = (result[lastKey] + "\n" + trimmed).Trim();
                continue;
            }
            var sep = trimmed.IndexOfAny(['=', ':']);
            if (sep <= 0) continue;
            lastKey = trimmed[..sep].Trim();
            result[lastKey] = trimmed[(sep + 1)..].Trim();
        }
        return result;
    }
}
