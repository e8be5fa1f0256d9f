namespace Cimaa.Storage.Http;

/// <summary>The error IDs of a Server connection (server.md): its own failures, and the commands it cannot run.</summary>
public static class ServerErrorIds
{
    /// <summary>A data cmdlet other than the metric ones, on a Server connection.</summary>
    public const string NotSupportedByConnection = "NotSupportedByConnection";

    /// <summary>The server answered with an error other than 401/403; the message is the server's.</summary>
    public const string ServerError = "ServerError";

    /// <summary>The server refused the access key or the signature (401), or the key lacks a permission (403).</summary>
    public const string AccessDenied = "AccessDenied";

    /// <summary>The server could not be reached, or did not answer in time.</summary>
    public const string ServerUnavailable = "ServerUnavailable";
}

/// <summary>Checks and shows the settings of a Server connection.</summary>
public static class ServerSettings
{
    /// <summary>Throws InvalidConnection unless the URL is an absolute http(s) URL without user info, query or fragment, and the key and region are given.</summary>
    public static void Validate(ConnectionSettings settings)
    {
        var url = settings.ServerUrl;
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw Invalid($"The server URL '{UrlText(url)}' is not an absolute http:// or https:// URL.", UrlText(url));
        if (url.UserInfo.Length > 0)
            throw Invalid("The server URL may not hold a user name or password: give the access key with -Credential.", UrlText(url));
        if (url.Query.Length > 0 || url.Fragment.Length > 0)
            throw Invalid($"The server URL '{UrlText(url)}' may not have a query or a fragment.", UrlText(url));
        if (string.IsNullOrEmpty(settings.AccessKeyId) || string.IsNullOrEmpty(settings.SecretAccessKey))
            throw Invalid("A Server connection needs an access key: -Credential with the key id as user name and the secret as password.", null);
        if (string.IsNullOrWhiteSpace(settings.Region))
            throw Invalid("A Server connection needs the server's region (-Region, us-west-2 by default).", null);
    }

    /// <summary>The URL as shown to users: scheme, host, port and path, never user info or a query.</summary>
    public static string UrlText(Uri? url)
    {
        if (url is null) return "";
        if (!url.IsAbsoluteUri) return url.OriginalString;
        var path = url.AbsolutePath == "/" ? "" : url.AbsolutePath;
        return $"{url.Scheme}://{url.Authority}{path}";
    }

    /// <summary>NotSupportedByConnection: a Server connection reaches the metrics only, through the server.</summary>
    public static CimaaException NotSupported(ConnectionSettings settings, string command) =>
        new(ServerErrorIds.NotSupportedByConnection, CimaaErrorCategory.InvalidOperation,
            $"{command} does not work on a Server connection ({UrlText(settings.ServerUrl)}): through a metrics server only " +
            "Write-CimaaMetric, Get-CimaaMetric, Get-CimaaMetricName and Get-CimaaMetricTag work. Connect to the store itself " +
            "(Connect-Cimaa -Path, -Region or -ConfigFile) for this command.", UrlText(settings.ServerUrl));

    private static CimaaException Invalid(string message, object? target) =>
        new(ErrorIds.InvalidConnection, CimaaErrorCategory.InvalidArgument, message, target);
}
