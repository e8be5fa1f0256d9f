namespace Cimaa.Deploy;

/// <summary>
/// Error IDs of Test-CimaaDeployStatus that the contract does not name (so they stay out of <see cref="ErrorIds"/>).
/// </summary>
public static class DeployErrorIds
{
    /// <summary>-ClusterVersionFrom is not of the form 'store/option/key'.</summary>
    public const string InvalidClusterVersionSource = "InvalidClusterVersionSource";
}
