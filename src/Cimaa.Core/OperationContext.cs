namespace Cimaa;

/// <summary>Where Core reports what it is doing. The cmdlets pump these onto the pipeline thread.</summary>
public interface IOperationLog
{
    void Warning(string message);
    void Verbose(string message);
    void Debug(string message);
    void Progress(ProgressReport report);
}

/// <summary>One progress record. PercentComplete is -1 when unknown.</summary>
public sealed record ProgressReport(int ActivityId, string Activity, string Status, int PercentComplete = -1, bool Completed = false);

/// <summary>A log that drops everything.</summary>
public sealed class NullOperationLog : IOperationLog
{
    public static readonly NullOperationLog Instance = new();
    public void Warning(string message) { }
    public void Verbose(string message) { }
    public void Debug(string message) { }
    public void Progress(ProgressReport report) { }
}

/// <summary>The log and cancellation of one cmdlet invocation, passed to every store call; and the pipeline's unit of work, if any.</summary>
public sealed record OpContext(IOperationLog Log, CancellationToken Token)
{
    public static OpContext None { get; } = new(NullOperationLog.Instance, CancellationToken.None);

    /// <summary>The unit of work the writes belong to (<see cref="CimaaClient.BeginBatchAsync"/>); null: each write commits alone.</summary>
    public WriteBatch? Batch { get; init; }

    /// <summary>Runs <paramref name="action"/> once the writes made so far are committed: now without a batch, else at its commit.</summary>
    public void AfterCommit(Action action)
    {
        if (Batch is null) action();
        else Batch.AfterCommit(action);
    }
}
