namespace Cimaa.Deploy;

/// <summary>
/// Error IDs of Test-CimaaDeployStatus that the contract does not name (so they stay out of <see cref="ErrorIds"/>).
/// </summary>
public static class DeployErrorIds
{
    /// <summary>-ClusterVersionFrom is not of the form 'store/option/key'.</summary>
    public const string InvalidClusterVersionSource = "InvalidClusterVersionSource";

    /// <summary>The connection cannot read the cluster version from the configuration store.</summary>
    public const string ClusterVersionSourceUnavailable = "ClusterVersionSourceUnavailable";
}
