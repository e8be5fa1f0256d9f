namespace Cimaa.Storage;

public enum StoreKind
{
    Local,
    DynamoDB,
}
