namespace Cimaa;

/// <summary>Error categories; the names match System.Management.Automation.ErrorCategory so the cmdlets map them by name.</summary>
public enum CimaaErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    LimitsExceeded,
    ConnectionError,
    MetadataError,
    ReadError,
    WriteError,
    PermissionDenied,
    OperationTimeout,
}

/// <summary>An error with a stable ErrorId, a category and the offending value.</summary>
public class CimaaException : Exception
{
    public CimaaException(string errorId, CimaaErrorCategory category, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    public string ErrorId { get; }
    public CimaaErrorCategory Category { get; }
    public object? Target { get; }
}

/// <summary>The stable error IDs of the contract.</summary>
public static class ErrorIds
{
    public const string InvalidConnection = "InvalidConnection";
    public const string InvalidConfigFile = "InvalidConfigFile";
    public const string InvalidTablePrefix = "InvalidTablePrefix";
    public const string MisconfiguredSchema = "MisconfiguredSchema";
    public const string TableNotReady = "TableNotReady";
    public const string TableNotFound = "TableNotFound";
    public const string TableTimeout = "TableTimeout";
    public const string ThroughputExceeded = "ThroughputExceeded";
    public const string DynamoDbUnavailable = "DynamoDbUnavailable";
    public const string DynamoDbError = "DynamoDbError";
    public const string StoreError = "StoreError";
    public const string InvalidFault = "InvalidFault";
    public const string InvalidAgent = "InvalidAgent";
    public const string FaultNotFound = "FaultNotFound";
    public const string AgentNotFound = "AgentNotFound";
    public const string InvalidSeverity = "InvalidSeverity";
    public const string InvalidSquelchPattern = "InvalidSquelchPattern";
    public const string SquelchExists = "SquelchExists";
    public const string SquelchNotFound = "SquelchNotFound";
    public const string InvalidSquelch = "InvalidSquelch";
    public const string ConfigOptionNotFound = "ConfigOptionNotFound";
    public const string InvalidConfigValue = "InvalidConfigValue";
    public const string InvalidMetric = "InvalidMetric";
    public const string InvalidTime = "InvalidTime";
}
