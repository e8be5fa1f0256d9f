using System.Collections.Concurrent;
using System.Management.Automation;

namespace Cimaa.PowerShell;

/// <summary>
/// Bridges Core's async work to the pipeline thread, the only thread that may write to PowerShell's streams.
/// <list type="bullet">
/// <item>Streams: the pipeline thread drives the async enumerator itself. Items buffered in a page arrive without any
/// thread hop, and nothing is read ahead of what the pipeline consumed, so memory stays flat.</item>
/// <item>Messages (warnings, verbose, debug, progress, non-terminating errors) may come from any thread; they are queued and
/// written by the pipeline thread whenever it waits for Core, and before each item. Another thread that finds 1024 messages
/// queued waits for room; the pipeline thread never does, since it is the one that makes room.</item>
/// <item>The pipeline thread waits on an event that never spins: Core's work is mostly network waits, far longer than a spin,
/// and a spinning thread takes the CPU from the one finishing that work.</item>
/// </list>
/// </summary>
internal sealed class PipelinePump : IOperationLog, IDisposable
{
    private const int Capacity = 1024;
    private readonly Cmdlet _cmdlet;
    private readonly ConcurrentQueue<(Action<Cmdlet> Write, bool Counted)> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false, spinCount: 0);
    private readonly SemaphoreSlim _room = new(Capacity, Capacity);
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private readonly CancellationTokenSource _cancel;

    public PipelinePump(Cmdlet cmdlet, CancellationToken stop)
    {
        _cmdlet = cmdlet;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Context = new OpContext(this, _cancel.Token);
        _verbose = Wanted(cmdlet, "Verbose", "VerbosePreference");
        _debug = Wanted(cmdlet, "Debug", "DebugPreference");
    }

    private readonly bool _verbose;
    private readonly bool _debug;

    /// <summary>
    /// Whether WriteVerbose or WriteDebug would write anything: -Verbose/-Debug when given, else the preference variable in
    /// the command's scope. A message PowerShell would drop is dropped here, without a trip through the queue and a wake-up of
    /// the pipeline thread (several per agent on a write).
    /// </summary>
    private static bool Wanted(Cmdlet cmdlet, string parameter, string variable)
    {
        if (cmdlet is not PSCmdlet ps) return true;
        if (ps.MyInvocation.BoundParameters.TryGetValue(parameter, out var given)) return LanguagePrimitives.IsTrue(given);
        return !LanguagePrimitives.TryConvertTo<ActionPreference>(ps.GetVariableValue(variable), out var preference)
            || preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
    }

    public OpContext Context { get; }

    /// <summary>Runs work on the thread pool, writing what it reports (and what it emits) until it is done.</summary>
    public void Run(Func<PipelinePump, Task> work) => Guard(() => Wait(Task.Run(() => work(this))));

    /// <summary>Enumerates on this thread and writes each item.</summary>
    public void Stream<T>(IAsyncEnumerable<T> source, Action<T> write) => Guard(() =>
    {
        var e = source.GetAsyncEnumerator(_cancel.Token);
        try
        {
            while (Wait(e.MoveNextAsync()))
            {
                Drain();
                write(e.Current);
            }
        }
        catch
        {
            _cancel.Cancel(); // stop read-ahead work before the enumerator is disposed
            throw;
        }
        finally
        {
            Wait(e.DisposeAsync());
            Drain(); // what was reported after the last item
        }
    });

    /// <summary>
    /// Completes once the pipeline thread has written every message queued before it; cancelled if writing one of them stopped
    /// the pipeline (a non-terminating error under -ErrorAction Stop) or the command was stopped. Not for the pipeline thread.
    /// </summary>
    public Task FlushAsync()
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(_ => written.TrySetResult());
        return written.Task.WaitAsync(_cancel.Token);
    }

    public void Emit(object item) => Enqueue(c => c.WriteObject(item));

    public void Error(CimaaException e) => Enqueue(c => c.WriteError(CimaaCmdlet.ToErrorRecord(e)));

    public void Warning(string message) => Enqueue(c => c.WriteWarning(message));

    public void Verbose(string message)
    {
        if (_verbose) Enqueue(c => c.WriteVerbose(message));
    }

    public void Debug(string message)
    {
        if (_debug) Enqueue(c => c.WriteDebug(message));
    }

    public void Progress(ProgressReport report) => Enqueue(c =>
    {
        var record = new ProgressRecord(report.ActivityId, report.Activity, report.Status)
        {
            PercentComplete = report.PercentComplete,
            RecordType = report.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        c.WriteProgress(record);
    });

    private void Guard(Action body)
    {
        try
        {
            body();
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch
        {
            _cancel.Cancel(); // e.g. a downstream command failed while writing: stop the work still running
            throw;
        }
    }

    private bool Wait(ValueTask<bool> pending) => pending.IsCompletedSuccessfully ? pending.Result : Wait(pending.AsTask());

    private void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully) Wait(pending.AsTask());
    }

    private T Wait<T>(Task<T> task)
    {
        Wait((Task)task);
        return task.Result;
    }

    /// <summary>Writes queued messages until the task is done, then the rest; rethrows the task's exception as is.</summary>
    private void Wait(Task task)
    {
        if (!task.IsCompleted)
        {
            task.ContinueWith(static (_, signal) => ((ManualResetEventSlim)signal!).Set(), _signal, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (true)
            {
                Drain();
                if (task.IsCompleted) break;
                // Set by a message or by the task's end; a message queued between the Wait and the Reset is in the queue,
                // so the next Drain writes it.
                _signal.Wait();
                _signal.Reset();
            }
        }
        Drain();
        task.GetAwaiter().GetResult();
    }

    private void Drain()
    {
        while (_queue.TryDequeue(out var message))
        {
            if (message.Counted) _room.Release();
            message.Write(_cmdlet);
        }
    }

    private void Enqueue(Action<Cmdlet> write)
    {
        // Only other threads count against the capacity: the pipeline thread would wait for itself.
        var counted = Environment.CurrentManagedThreadId != _pipelineThread;
        if (counted) _room.Wait(_cancel.Token);
        _queue.Enqueue((write, counted));
        _signal.Set();
    }

    public void Dispose()
    {
        _signal.Dispose();
        _room.Dispose();
        _cancel.Dispose();
    }
}
