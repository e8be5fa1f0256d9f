using System.Globalization;
using Cimaa.Config;

namespace Cimaa.Deploy;

/// <summary>Reads the cluster version from the configuration store: one key of one option; null when either is missing.</summary>
public sealed class ConfigClusterVersionSource(ConfigService config) : IClusterVersionSource
{
    public async Task<string?> GetAsync(string store, string option, string key, OpContext op)
    {
        string? version = null;
        var query = new ConfigQuery(store, [option], [key]);
        await foreach (var o in config.GetAsync(query, _ => { }, op).ConfigureAwait(false))
        {
            if (o.Values[key] is { } value) version = Convert.ToString(value, CultureInfo.InvariantCulture);
        }
        return version;
    }
}
