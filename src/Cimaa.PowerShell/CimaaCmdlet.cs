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

    /// <summary>
    /// Stops a cmdlet that does not work on a Server connection before it reads input or asks for confirmation, when the
    /// connection is already known (-Connection or the session default; the implicit one is never a Server connection).
    /// A cmdlet that overrides this calls it first.
    /// </summary>
    protected override void BeginProcessing() => CheckKind(Connection ?? SessionConnection.Get(Runspace.DefaultRunspace));

    /// <summary>The connection in effect: -Connection, else the session default, else the implicit one.</summary>
    protected CimaaConnection ResolveConnection()
    {
        var connection = Connection ?? SessionConnection.Get(Runspace.DefaultRunspace);
        if (connection is null)
        {
            connection = CreateImplicit();
            SessionConnection.Set(Runspace.DefaultRunspace, connection);
        }
        CheckKind(connection);
        return connection;
    }

    private void CheckKind(CimaaConnection? connection)
    {
        if (connection is { IsServer: true } && !WorksOnServer)
            ThrowTerminatingError(ToErrorRecord(connection.NotSupported(MyInvocation.MyCommand.Name)));
    }

    private CimaaConnection CreateImplicit()
    {
        try
        {
            var settings = DefaultLocation.ResolveAndPrepare();
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

    /// <summary>
    /// The write phase of every Remove- cmdlet, in EndProcessing once all input is collected: ShouldProcess for each target in
    /// input order, then the approved ones removed one by one, in one unit of work (<see cref="RunBatch"/>). A target that does
    /// not exist (an error in <paramref name="nonTerminating"/>) is a non-terminating error and the others go on.
    /// </summary>
    internal void RemoveEach<T>(IReadOnlyList<T> targets, Func<T, string> target, string action,
        Func<CimaaClient, T, OpContext, Task> remove, params string[] nonTerminating)
    {
        var approved = targets.Where(t => ShouldProcess(target(t), action)).ToList();
        if (approved.Count == 0) return;
        var connection = ResolveConnection();
        RunBatch(connection, async (op, pump) =>
        {
            foreach (var item in approved)
            {
                try
                {
                    await remove(connection.Client, item, op).ConfigureAwait(false);
                }
                catch (CimaaException e) when (nonTerminating.Contains(e.ErrorId))
                {
                    pump.Error(e);
                }
            }
            return [];
        });
    }

    /// <summary>
    /// The write phase of a cmdlet as one unit of work of the connection (<see cref="CimaaClient.BeginBatchAsync"/>; on SQLite
    /// one transaction for the whole pipeline). It commits only once <paramref name="work"/> has returned and every message
    /// it reported has been written without stopping the pipeline (a non-terminating error under -ErrorAction Stop does);
    /// an exception, a stop (Ctrl+C) or a stopping error rolls it all back. What work returns is emitted after the commit.
    /// </summary>
    internal void RunBatch(CimaaConnection connection, Func<OpContext, PipelinePump, Task<IEnumerable<object>>> work) =>
        Run(async pump =>
        {
            await using var batch = await connection.Client.BeginBatchAsync(pump.Context).ConfigureAwait(false);
            var op = pump.Context with { Batch = batch };
            var output = await work(op, pump).ConfigureAwait(false);
            await pump.FlushAsync().ConfigureAwait(false);
            await batch.CommitAsync(op).ConfigureAwait(false);
            foreach (var item in output) pump.Emit(item);
        });

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
