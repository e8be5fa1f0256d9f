using System.Collections.Concurrent;
using System.Management.Automation;

namespace Cimaa.PowerShell;

/// <summary>
/// Bridges Core's async work to the pipeline thread. The work runs on the thread pool; output, warnings, verbose,
/// debug, progress and non-terminating errors are queued and written by the thread that called <see cref="Run"/>.
/// The queue is bounded, so a slow consumer slows the producer instead of buffering a whole table.
/// </summary>
internal sealed class PipelinePump : IOperationLog, IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly BlockingCollection<Action<Cmdlet>> _queue = new(boundedCapacity: 512);
    private readonly CancellationTokenSource _cancel;

    public PipelinePump(Cmdlet cmdlet, CancellationToken stop)
    {
        _cmdlet = cmdlet;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Context = new OpContext(this, _cancel.Token);
    }

    public OpContext Context { get; }

    public void Run(Func<PipelinePump, Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work(this).ConfigureAwait(false);
            }
            finally
            {
                _queue.CompleteAdding();
            }
        });
        try
        {
            foreach (var write in _queue.GetConsumingEnumerable()) write(_cmdlet);
        }
        catch
        {
            // The pipeline stopped (or a downstream command failed): stop the producer and let the caller see why.
            _cancel.Cancel();
            try { task.Wait(); } catch (AggregateException) { }
            throw;
        }
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    public void Emit(object item) => Enqueue(c => c.WriteObject(item));

    public void Error(CimaaException e) => Enqueue(c => c.WriteError(CimaaCmdlet.ToErrorRecord(e)));

    public void Warning(string message) => Enqueue(c => c.WriteWarning(message));

    public void Verbose(string message) => Enqueue(c => c.WriteVerbose(message));

    public void Debug(string message) => Enqueue(c => c.WriteDebug(message));

    public void Progress(ProgressReport report) => Enqueue(c =>
    {
        var record = new ProgressRecord(report.ActivityId, report.Activity, report.Status)
        {
            PercentComplete = report.PercentComplete,
            RecordType = report.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        c.WriteProgress(record);
    });

    private void Enqueue(Action<Cmdlet> write)
    {
        try
        {
            _queue.Add(write, _cancel.Token);
        }
        catch (InvalidOperationException) when (_queue.IsAddingCompleted)
        {
            // Late message after completion; nothing is listening any more.
        }
    }

    public void Dispose()
    {
        _queue.Dispose();
        _cancel.Dispose();
    }
}
