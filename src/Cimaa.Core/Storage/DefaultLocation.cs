namespace Cimaa.Storage;

/// <summary>Resolves the connection used when Connect-Cimaa was not called.</summary>
public static class DefaultLocation
{
    /// <summary>$env:CIMAA_DB, else the XDG data folder (Unix) or %LOCALAPPDATA% (Windows).</summary>
    public static string DatabasePath(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var explicitPath = env("CIMAA_DB");
        if (!string.IsNullOrEmpty(explicitPath)) return explicitPath;
        if (OperatingSystem.IsWindows())
        {
            var local = env("LOCALAPPDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(local, "cimaa", "cimaa.db");
        }
        var xdg = env("XDG_DATA_HOME");
        var home = env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var data = string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg;
        return Path.Combine(data, "cimaa", "cimaa.db");
    }

    /// <summary>The settings of an implicit connection: $env:CIMAA_CONFIG's [database] section, else the default SQLite file.</summary>
    public static ConnectionSettings Resolve(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var config = env("CIMAA_CONFIG");
        if (!string.IsNullOrEmpty(config)) return AgentConfigFile.Load(config);
        return new ConnectionSettings { Kind = StoreKind.Local, Path = DatabasePath(env) };
    }

    /// <summary>The default SQLite file (<see cref="DatabasePath"/>) with its folder created: Connect-Cimaa without -Path.</summary>
    public static string PrepareDatabasePath(Func<string, string?>? env = null)
    {
        var path = DatabasePath(env);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>
    /// The settings of the implicit connection (<see cref="Resolve"/>) for a data command's first use: an SQLite file's folder
    /// is created unless $env:CIMAA_DB names the file (a folder given there, like an explicit -Path, must exist).
    /// </summary>
    public static ConnectionSettings ResolveAndPrepare(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var settings = Resolve(env);
        if (settings.Kind == StoreKind.Local && settings.Path is { } path && env("CIMAA_DB") is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        return settings;
    }

    /// <summary>
    /// The implicit connection's settings when its store already exists, for callers that must not create anything (tab
    /// completion): a DynamoDB connection from $env:CIMAA_CONFIG (no file involved), or an SQLite file that exists. Null
    /// otherwise, and when $env:CIMAA_CONFIG cannot be read or used. Nothing is created, not even the default folder.
    /// </summary>
    public static ConnectionSettings? ResolveExisting(Func<string, string?>? env = null)
    {
        ConnectionSettings settings;
        try
        {
            settings = Resolve(env);
        }
        catch (CimaaException)
        {
            return null;
        }
        return settings.Kind == StoreKind.Local && !File.Exists(settings.Path) ? null : settings;
    }
}
