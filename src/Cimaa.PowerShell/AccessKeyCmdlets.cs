using System.Runtime.CompilerServices;
using Cimaa.AccessKeys;
using Cimaa.Storage;

namespace Cimaa.PowerShell;

/// <summary>What the access-key cmdlets share: the service over the connection's store, and how permissions read in messages.</summary>
internal static class AccessKeyCmdlets
{
    /// <summary>The AccessKeyService of the connection's store (typed object: no Core type in a signature the engine scans).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static object Service(CimaaConnection connection) =>
        new AccessKeyService(AccessKeyStores.For(connection.Store), connection.Settings.Clock);

    public static string Text(IReadOnlyCollection<string> permissions) => permissions.Count == 0 ? "(none)" : string.Join(", ", permissions);
}
