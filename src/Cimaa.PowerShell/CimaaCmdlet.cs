using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Cimaa.Storage;

namespace Cimaa.PowerShell;

/// <summary>
/// The base of every data cmdlet: resolves the connection, runs Core's async work while pumping its output and
/// messages onto the pipeline thread, and turns Core's errors into ErrorRecords.
/// </summary>
public abstract class CimaaCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The connection to use; the session default (Connect-Cimaa) when omitted.</summary>
    [Parameter]
    [ValidateNotNull]
    public CimaaConnection? Connection { get; set; }

    /// <summary>True for the cmdlets that work on a Server connection (the metric cmdlets); the others stop with NotSupportedByConnection.</summary>
    protected virtual bool WorksOnServer => false;

    /// <summary>The connection in effect: -Connection, else the session default, else the implicit one.</summary>
    protected CimaaConnection ResolveConnection()
    {
        var connection = Connection ?? SessionConnection.Get(Runspace.DefaultRunspace);
        if (connection is null)
        {
            connection = CreateImplicit();
            SessionConnection.Set(Runspace.DefaultRunspace, connection);
        }
        if (connection.IsServer && !WorksOnServer) ThrowTerminatingError(ToErrorRecord(NotSupported(connection)));
        return connection;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private CimaaException NotSupported(CimaaConnection connection) => StoreFactory.NotSupported(connection.Settings, MyInvocation.MyCommand.Name);

    private CimaaConnection CreateImplicit()
    {
        try
        {
            var settings = DefaultLocation.Resolve();
            if (settings.Kind == StoreKind.Local && settings.Path is { } path && Environment.GetEnvironmentVariable("CIMAA_DB") is null)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            }
            WriteVerbose($"Using the default connection: {settings}");
            return new CimaaConnection(settings);
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
            throw;
        }
    }

    /// <summary>Runs async Core work; everything it reports reaches the streams from this thread.</summary>
    internal void Run(Func<PipelinePump, Task> work) => Pump(pump => pump.Run(work));

    /// <summary>Enumerates Core's async stream on this thread, writing each item as it arrives.</summary>
    internal void Stream<T>(Func<OpContext, IAsyncEnumerable<T>> source) =>
        Pump(pump => pump.Stream(source(pump.Context), item => WriteObject(item)));

    private void Pump(Action<PipelinePump> body)
    {
        using var pump = new PipelinePump(this, _cancel.Token);
        try
        {
            body(pump);
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    internal static ErrorRecord ToErrorRecord(CimaaException e) =>
        new(e, e.ErrorId, Enum.TryParse<ErrorCategory>(e.Category.ToString(), out var c) ? c : ErrorCategory.NotSpecified, e.Target);

    /// <summary>An ErrorRecord for a bad argument, raised before anything is written.</summary>
    internal static ErrorRecord InvalidArgument(string errorId, string message, object? target) =>
        new(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

    protected override void StopProcessing() => _cancel.Cancel();

    public void Dispose()
    {
        _cancel.Dispose();
        GC.SuppressFinalize(this);
    }
}
