namespace Cimaa.Deploy;

/// <summary>How the cluster version was given: not at all, with a value, or configured but without a value.</summary>
public enum ClusterVersionKind
{
    NotConfigured,
    Known,
    Missing,
}

/// <summary>
/// The cluster version as an input of the evaluator. zc.zkdeployment's monitor read it from ZooKeeper and warned
/// "Cluster version is None" when the node had none; <see cref="ClusterVersionKind.Missing"/> is that case.
/// </summary>
public readonly record struct ClusterVersionInput(ClusterVersionKind Kind, string? Value)
{
    public static ClusterVersionInput NotConfigured => new(ClusterVersionKind.NotConfigured, null);

    public static ClusterVersionInput Missing => new(ClusterVersionKind.Missing, null);

    /// <summary>A configured source's answer: a value, or (null or empty) none.</summary>
    public static ClusterVersionInput Configured(string? value) =>
        string.IsNullOrEmpty(value) ? Missing : new(ClusterVersionKind.Known, value);
}

/// <summary>Where the cluster version lives in the configuration store: a store, an option and a key.</summary>
public sealed record ClusterVersionSourceSpec(string Store, string Option, string Key)
{
    /// <summary>Parses 'store/option/key' (three non-empty parts); anything else is InvalidClusterVersionSource.</summary>
    public static ClusterVersionSourceSpec Parse(string? text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new CimaaException(DeployErrorIds.InvalidClusterVersionSource, CimaaErrorCategory.InvalidArgument,
                $"The cluster version source '{text}' is not valid: expected 'store/option/key', three non-empty parts.", text);
        }
        return new(parts[0], parts[1], parts[2]);
    }

    public override string ToString() => $"{Store}/{Option}/{Key}";
}

/// <summary>Reads the cluster version from the configuration store; null when the option or key is missing.</summary>
public interface IClusterVersionSource
{
    Task<string?> GetAsync(string store, string option, string key, OpContext op);
}
