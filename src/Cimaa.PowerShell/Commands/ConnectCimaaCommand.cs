using System.Management.Automation;
using Cimaa.Storage;

namespace Cimaa.PowerShell.Commands;

/// <summary>Sets the session's default connection: an SQLite file, DynamoDB, a zc.cimaa agent INI file, or a metrics server.</summary>
[Cmdlet(VerbsCommunications.Connect, "Cimaa", DefaultParameterSetName = LocalSet)]
[OutputType(typeof(CimaaConnection))]
public sealed class ConnectCimaaCommand : PSCmdlet
{
    private const string LocalSet = "Local";
    private const string DynamoSet = "DynamoDB";
    private const string ConfigFileSet = "ConfigFile";
    private const string ServerSet = "Server";

    [Parameter(ParameterSetName = LocalSet, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The DynamoDB region; for a Server connection, the server's region in the signature's scope (us-west-2 when omitted).</summary>
    [Parameter(ParameterSetName = DynamoSet)]
    [Parameter(ParameterSetName = ServerSet)]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    [Parameter(ParameterSetName = DynamoSet)]
    [ValidateNotNullOrEmpty]
    public string TablePrefix { get; set; } = "cimaa";

    [Parameter(ParameterSetName = DynamoSet)]
    [ValidateNotNull]
    public Uri? EndpointUrl { get; set; }

    [Parameter(ParameterSetName = DynamoSet)]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <summary>The AWS access key (DynamoDB), or the Cimaa access key a Server connection signs its requests with.</summary>
    [Parameter(ParameterSetName = DynamoSet)]
    [Parameter(ParameterSetName = ServerSet, Mandatory = true)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = DynamoSet)]
    [ValidateNotNullOrEmpty]
    public string? ConfigTableName { get; set; }

    /// <summary>The hash key attribute of the config table (dynamodb-config-store's default).</summary>
    [Parameter(ParameterSetName = DynamoSet)]
    [ValidateNotNullOrEmpty]
    public string ConfigStoreKey { get; set; } = "_store";

    /// <summary>The range key attribute of the config table (dynamodb-config-store's default).</summary>
    [Parameter(ParameterSetName = DynamoSet)]
    [ValidateNotNullOrEmpty]
    public string ConfigOptionKey { get; set; } = "_option";

    [Parameter(ParameterSetName = DynamoSet)]
    [ValidateRange(1, 100)]
    public int MaxReadAttempts { get; set; } = 5;

    [Parameter(ParameterSetName = DynamoSet)]
    [ValidateRange(1, 100)]
    public int MaxWriteAttempts { get; set; } = 3;

    /// <summary>A Cimaa metrics server: only the metric cmdlets work through it.</summary>
    [Parameter(ParameterSetName = ServerSet, Mandatory = true)]
    [ValidateNotNull]
    public Uri? ServerUrl { get; set; }

    [Parameter(ParameterSetName = ConfigFileSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? ConfigFile { get; set; }

    /// <summary>How long metric datapoints are kept (their expires attribute).</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan MetricRetention { get; set; } = TimeSpan.FromDays(30);

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        CimaaConnection connection;
        try
        {
            connection = new CimaaConnection(BuildSettings());
            if (connection.Kind == "Local") _ = connection.Client; // creates the SQLite file now, so a bad path fails here
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(CimaaCmdlet.ToErrorRecord(e));
            return;
        }
        WriteVerbose($"Connected: {connection}");
        SessionConnection.Set(System.Management.Automation.Runspaces.Runspace.DefaultRunspace, connection);
        if (PassThru) WriteObject(connection);
    }

    private ConnectionSettings BuildSettings()
    {
        switch (ParameterSetName)
        {
            case ConfigFileSet:
                var file = AgentConfigFile.Load(GetUnresolvedProviderPathFromPSPath(ConfigFile));
                return file with { MetricRetention = MetricRetention };
            case ServerSet:
                var key = Credential!.GetNetworkCredential();
                return new ConnectionSettings
                {
                    Kind = StoreKind.Server,
                    ServerUrl = ServerUrl,
                    Region = Region ?? Cimaa.AccessKeys.SigV4.DefaultRegion,
                    AccessKeyId = key.UserName,
                    SecretAccessKey = key.Password,
                    MetricRetention = MetricRetention,
                }.Validate();
            case DynamoSet:
                if (string.Equals(ConfigStoreKey, ConfigOptionKey, StringComparison.Ordinal))
                {
                    throw new CimaaException(ErrorIds.InvalidConnection, CimaaErrorCategory.InvalidArgument,
                        $"-ConfigStoreKey and -ConfigOptionKey must differ (both are '{ConfigStoreKey}').", ConfigStoreKey);
                }
                var credential = Credential?.GetNetworkCredential();
                return new ConnectionSettings
                {
                    Kind = StoreKind.DynamoDB,
                    TablePrefix = ConnectionSettings.NormalizePrefix(TablePrefix),
                    Region = Region,
                    EndpointUrl = EndpointUrl,
                    ProfileName = ProfileName,
                    AccessKeyId = credential?.UserName,
                    SecretAccessKey = credential?.Password,
                    ConfigTableName = ConfigTableName,
                    ConfigStoreKey = ConfigStoreKey,
                    ConfigOptionKey = ConfigOptionKey,
                    MaxReadAttempts = MaxReadAttempts,
                    MaxWriteAttempts = MaxWriteAttempts,
                    MetricRetention = MetricRetention,
                }.Validate();
            default:
                var path = Path is null ? DefaultLocation.PrepareDatabasePath() : GetUnresolvedProviderPathFromPSPath(Path);
                return new ConnectionSettings { Kind = StoreKind.Local, Path = path, MetricRetention = MetricRetention };
        }
    }
}
