namespace Cimaa.AccessKeys;

/// <summary>The error IDs of the access-key contract (server.md).</summary>
public static class AccessKeyErrorIds
{
    public const string InvalidPermission = "InvalidPermission";
    public const string AccessKeyNotFound = "AccessKeyNotFound";
}
