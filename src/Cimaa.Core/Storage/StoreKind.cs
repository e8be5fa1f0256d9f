namespace Cimaa.Storage;

public enum StoreKind
{
    Local,
    DynamoDB,

    /// <summary>A Cimaa metrics server over HTTP, with signed requests: only the metric cmdlets work on it.</summary>
    Server,
}
